// CheckpointTests.cs — a run cancelled after an epoch and resumed from its checkpoint ends bit-identical to an uninterrupted run.
using DigitsML.Engine;
using DigitsML.Networks;
using DigitsML.Tests.Engine;
using DigitsML.Trainers;
using DigitsML.Testing;

namespace DigitsML.Tests.Reliability;

[TestFixture]
public sealed class CheckpointTests
{
    private static readonly TensorShape Shape = TensorShape.Image(1, 8, 8);

    /// <summary>Every kind of state a checkpoint must carry: BatchNorm running statistics (buffers), dropout masks (the
    /// stream position) and the optimizer's per-parameter state.</summary>
    private static readonly NetworkDefinition Net = new("CheckpointNet",
    [
        new Conv2d(4, 3),  // (1, 8, 8) -> (4, 6, 6)
        new BatchNorm2d(),
        new ReLU(),
        new Dropout2d(0.2),
        new Flatten(),     // -> (144)
        new Dropout(0.3),
        new Linear(10),
    ], Shape);

    private static IEnumerable<TestCaseData> Optimizers()
    {
        yield return new TestCaseData(new AdamOptimizer { LearningRate = 0.01 }).SetArgDisplayNames("Adam");
        yield return new TestCaseData(new AdamWOptimizer { LearningRate = 0.01, WeightDecay = 0.01 }).SetArgDisplayNames("AdamW");
        yield return new TestCaseData(new SgdOptimizer { LearningRate = 0.05, Momentum = 0.9, Nesterov = true }).SetArgDisplayNames("SgdNesterov");
        yield return new TestCaseData(new AdadeltaOptimizer()).SetArgDisplayNames("Adadelta");
    }

    private static CnnTrainer.Options Options(OptimizerSettings optimizer, string? checkpoint = null, bool resume = false) => new()
    {
        Epochs = 4,
        BatchSize = 16,
        Optimizer = optimizer,
        Schedule = new OneCycleLR(optimizer.LearningRate),
        Seed = 11,
        CheckpointPath = checkpoint,
        ResumeFromCheckpoint = resume,
    };

    [TestCaseSource(nameof(Optimizers))]
    public void Train_CancelledAfterEpoch2ThenResumed_WeightsBitIdenticalToUninterruptedRun(OptimizerSettings optimizer)
    {
        var data = EngineFixtures.RandomDataset(150, Shape, seed: 3);
        using var folder = new TemporaryDirectory();
        string checkpoint = Path.Combine(folder.Path, "run.ckpt");

        using var uninterrupted = Network.Create(Net, seed: 5);
        var fullHistory = NetworkTrainer.Train(uninterrupted, data, null, Options(optimizer));

        using var cancelled = Network.Create(Net, seed: 5);
        using var cts = new CancellationTokenSource();
        var progress = new EngineFixtures.RecordingProgress(p =>
        {
            if (p.Epoch == 2)
                cts.Cancel();
        });
        Assert.Throws<OperationCanceledException>(() =>
            NetworkTrainer.Train(cancelled, data, null, Options(optimizer, checkpoint) with { Progress = progress, CancellationToken = cts.Token }));
        Assert.That(File.Exists(checkpoint), Is.True);
        Assert.That(Directory.GetFiles(folder.Path), Has.Length.EqualTo(1), "no temporary file is left beside the checkpoint");

        using var resumed = Network.Create(Net, seed: 5);
        var history = NetworkTrainer.Train(resumed, data, null, Options(optimizer, checkpoint, resume: true));

        Assert.That(EngineFixtures.StatesEqual(resumed.GetState(), uninterrupted.GetState()), Is.True,
            "resumed weights, BatchNorm statistics differ from the uninterrupted run");
        Assert.That(history.Select(h => h.TrainLoss), Is.EqualTo(fullHistory.Select(h => h.TrainLoss)), "history, losses included, is the uninterrupted run's");
        Assert.That(EngineFixtures.StatesEqual(cancelled.GetState(), uninterrupted.GetState()), Is.False, "the cancelled run stopped early");
    }

    [Test]
    public void Train_ResumeWithoutCheckpoint_ThrowsFileNotFound()
    {
        using var folder = new TemporaryDirectory();
        using var network = Network.Create(Net, seed: 5);
        var options = Options(new AdamOptimizer(), Path.Combine(folder.Path, "missing.ckpt"), resume: true);

        Assert.Throws<FileNotFoundException>(() => NetworkTrainer.Train(network, EngineFixtures.RandomDataset(20, Shape, 1), null, options));
    }

    [Test]
    public void Train_ResumeWithOtherRecipe_ThrowsArgumentExceptionNamingBoth()
    {
        using var folder = new TemporaryDirectory();
        string checkpoint = Path.Combine(folder.Path, "run.ckpt");
        var data = EngineFixtures.RandomDataset(40, Shape, 1);
        using (var first = Network.Create(Net, seed: 5))
            NetworkTrainer.Train(first, data, null, Options(new AdamOptimizer(), checkpoint) with { Epochs = 1 });

        using var network = Network.Create(Net, seed: 5);
        var e = Assert.Throws<ArgumentException>(() => NetworkTrainer.Train(network, data, null, Options(new AdamOptimizer(), checkpoint, resume: true)));
        Assert.That(e!.Message, Does.Contain("epochs: 1 → 4"));
    }

    [Test]
    public void Train_ResumeWithOtherPhotometricAugmentation_ThrowsArgumentExceptionNamingBoth()
    {
        using var folder = new TemporaryDirectory();
        string checkpoint = Path.Combine(folder.Path, "run.ckpt");
        var data = EngineFixtures.RandomDataset(40, Shape, 1);
        var written = Options(new AdamOptimizer(), checkpoint) with { Epochs = 1, Augmentation = new ImageAugmentation { MaxRotationDegrees = 10, NoiseProbability = 0.2 } };
        using (var first = Network.Create(Net, seed: 5))
            NetworkTrainer.Train(first, data, null, written);

        using var network = Network.Create(Net, seed: 5);
        var resumed = written with { ResumeFromCheckpoint = true, Augmentation = written.Augmentation with { NoiseProbability = 0.3 } };
        var e = Assert.Throws<ArgumentException>(() => NetworkTrainer.Train(network, data, null, resumed));
        Assert.That(e!.Message, Does.Contain("augmentation.noiseProbability: 0.2 → 0.3"));
    }

    [Test]
    public void Fit_CnnTrainerWithCheckpointCancelledAndResumed_SameWeightsAndScoresAsUninterrupted()
    {
        var ml = new MLContext(seed: 2);
        var rows = Enumerable.Range(0, 96).Select(i => new Pipeline.DigitImage
        {
            Label = i % 3,
            Features = [.. EngineFixtures.RandomDataset(1, TensorShape.Mnist, i).Pixels],
        }).ToList();
        var data = ml.Data.LoadFromEnumerable(rows);
        using var folder = new TemporaryDirectory();
        string checkpoint = Path.Combine(folder.Path, "cnn.ckpt");
        CnnTrainer.Options Options(string? path, bool resume, CancellationToken token = default, IProgress<EpochProgress>? progress = null) => new()
        {
            Architecture = FuzzTargets.Tiny, Epochs = 3, BatchSize = 16, Seed = 4,
            CheckpointPath = path, ResumeFromCheckpoint = resume, CancellationToken = token, Progress = progress,
        };
        var keyed = ml.Transforms.Conversion.MapValueToKey("Label").Fit(data).Transform(data);

        using var full = ml.MulticlassClassification.Trainers.Cnn(Options(null, false)).Fit(keyed);
        using var cts = new CancellationTokenSource();
        var stop = new EngineFixtures.RecordingProgress(p => { if (p.Epoch == 1) cts.Cancel(); });
        Assert.Throws<OperationCanceledException>(() => ml.MulticlassClassification.Trainers.Cnn(Options(checkpoint, false, cts.Token, stop)).Fit(keyed));
        using var resumed = ml.MulticlassClassification.Trainers.Cnn(Options(checkpoint, true)).Fit(keyed);

        // The fitted model keeps the network only as its exported graph: its weights, and its scores, must match bit for bit.
        static List<(string, byte[])> Weights(CnnTransformer model) =>
            [.. DigitsML.Onnx.Graph.ModelProto.Parser.ParseFrom(model.OnnxModel.Span).Graph.Initializer.Select(t => (t.Name, t.RawData.ToByteArray()))];
        Assert.That(Weights(resumed), Is.EqualTo(Weights(full)));
        Assert.That(Pipeline.PipelineData.Column<float[]>(resumed.Transform(keyed), "Score"),
            Is.EqualTo(Pipeline.PipelineData.Column<float[]>(full.Transform(keyed), "Score")));
        Assert.That(resumed.History, Has.Count.EqualTo(3));
    }
}
