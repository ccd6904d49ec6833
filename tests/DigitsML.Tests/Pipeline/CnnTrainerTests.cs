// CnnTrainerTests.cs — the CNN trainer and transformer: conformance, schema errors, data errors, options, device,
// class-count adaptation, determinism, laziness and disposal. Small subsets, one epoch.
using DigitsML.Data;
using DigitsML.Engine;
using DigitsML.Trainers;
using DigitsML.Transforms;

namespace DigitsML.Tests.Pipeline;

public sealed class CnnTrainerTests
{
    private static IDataView Keyed(MLContext ml, int rows)
    {
        var data = ml.Data.TakeRows(PipelineData.MnistTrain, rows);
        return ml.Data.Cache(ml.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: KeyOrdinality.ByValue).Fit(data).Transform(data));
    }

    private static CnnTrainer.Options Small(int? seed = null) => new() { Epochs = 1, Seed = seed };

    [Test]
    public void Conformance_CnnAloneAndInChain_Pass()
    {
        var ml = new MLContext(seed: 3);
        var keyed = Keyed(ml, 600);
        var rows = EstimatorConformance.Check(ml, ml.MulticlassClassification.Trainers.Cnn(Small()), keyed);
        Assert.That(rows.Select(r => ((float[])r["Score"]!).Sum()), Has.All.EqualTo(1f).Within(1e-4f));
        Assert.That(rows.Select(r => (uint)r["PredictedLabel"]!), Has.All.InRange(1u, 10u));

        var raw = ml.Data.TakeRows(PipelineData.MnistTrain, 600);
        EstimatorConformance.Check(ml, ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.MulticlassClassification.Trainers.Cnn(Small()))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel")), raw);
    }

    [Test]
    public void Transform_Scored_AddsScoreWithSlotNamesAndPredictedLabelWithKeyValues()
    {
        var ml = new MLContext(seed: 3);
        var keyed = Keyed(ml, 300);
        using var model = ml.MulticlassClassification.Trainers.Cnn(Small()).Fit(keyed);
        var scored = model.Transform(keyed);
        var score = scored.Schema["Score"];
        var predicted = scored.Schema["PredictedLabel"];
        Assert.That(score.Type.ToString(), Is.EqualTo("Vector<Single, 10>"));
        Assert.That(predicted.Type.ToString(), Is.EqualTo("Key<UInt32, 0-9>"));
        VBuffer<ReadOnlyMemory<char>> names = default;
        score.GetSlotNames(ref names);
        Assert.That(names.DenseValues().Select(n => n.ToString()), Is.EqualTo(Enumerable.Range(0, 10).Select(i => i.ToString())));
        VBuffer<float> values = default;
        predicted.GetKeyValues(ref values);
        Assert.That(values.DenseValues(), Is.EqualTo(Enumerable.Range(0, 10).Select(i => (float)i)));
        foreach (var row in PipelineData.ReadAll(scored, "Score", "PredictedLabel"))
        {
            var s = (float[])row["Score"]!;
            Assert.That((uint)row["PredictedLabel"]!, Is.EqualTo((uint)Array.IndexOf(s, s.Max()) + 1));
        }
        Assert.That(model.Device, Is.EqualTo(Device.Cpu));
        Assert.That(model.Summary.Name, Is.EqualTo("SeedNet"));
        Assert.That(model.History.Single().Epoch, Is.EqualTo(1));
    }

    [Test]
    public void Evaluate_MnistModel_AgreesWithIndependentComputationFromRawScores()
    {
        var ml = new MLContext(seed: 3);
        using var model = ml.MulticlassClassification.Trainers.Cnn(Small()).Fit(Keyed(ml, 1000));
        var test = ml.Data.TakeRows(PipelineData.MnistTest, 500);
        var scored = model.Transform(ml.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: KeyOrdinality.ByValue).Fit(test).Transform(test));
        var metrics = ml.MulticlassClassification.Evaluate(scored, topKPredictionCount: 3);

        var raw = ml.Data.CreateEnumerable<RawScore>(scored, reuseRowObject: false).ToList();
        var truth = raw.Select(r => (int)r.Label - 1).ToArray();
        var predicted = raw.Select(r => Array.IndexOf(r.Score, r.Score.Max())).ToArray();
        double micro = truth.Zip(predicted).Count(p => p.First == p.Second) / (double)raw.Count;
        double logLoss = raw.Select((r, i) => -Math.Log(Math.Max(r.Score[truth[i]], 1e-15f))).Average();
        double top3 = raw.Select((r, i) => r.Score.Count(s => s > r.Score[truth[i]]) < 3 ? 1.0 : 0.0).Average();
        var present = truth.Distinct().ToList();
        double macro = present.Average(c => truth.Zip(predicted).Count(p => p.First == c && p.Second == c) / (double)truth.Count(t => t == c));
        double prior = -present.Sum(c => truth.Count(t => t == c) / (double)raw.Count * Math.Log(truth.Count(t => t == c) / (double)raw.Count));

        Assert.That(metrics.MicroAccuracy, Is.EqualTo(micro).Within(1e-12));
        Assert.That(metrics.MacroAccuracy, Is.EqualTo(macro).Within(1e-12));
        Assert.That(metrics.LogLoss, Is.EqualTo(logLoss).Within(1e-9));
        Assert.That(metrics.LogLossReduction, Is.EqualTo((prior - logLoss) / prior).Within(1e-9));
        Assert.That(metrics.TopKAccuracy, Is.EqualTo(top3).Within(1e-12));
        for (int a = 0; a < 10; a++)
            for (int p = 0; p < 10; p++)
                Assert.That(metrics.ConfusionMatrix.GetCountForClassPair(p, a), Is.EqualTo(truth.Zip(predicted).Count(x => x.First == a && x.Second == p)));
        Assert.That(metrics.MicroAccuracy, Is.GreaterThan(0.6), "one epoch on 1,000 images already learns");
    }

    public sealed class RawScore
    {
        public uint Label;

        public float[] Score = [];
    }

    [Test]
    public void Fit_WrongColumns_ThrowsNamingColumnBeforeTraining()
    {
        var ml = new MLContext(seed: 3);
        var raw = ml.Data.TakeRows(PipelineData.MnistTrain, 100);
        var notKey = Assert.Throws<ArgumentOutOfRangeException>(() => ml.MulticlassClassification.Trainers.Cnn(Small()).Fit(raw));
        Assert.That(notKey!.Message, Does.Contain("label column 'Label'").And.Contain("expected Key, got Single").And.Contain("MapValueToKey"));

        var keyed = Keyed(ml, 100);
        var missing = Assert.Throws<ArgumentOutOfRangeException>(() =>
            ml.MulticlassClassification.Trainers.Cnn(featureColumnName: "Pixels", epochs: 1).Fit(keyed));
        Assert.That(missing!.Message, Does.Contain("feature column 'Pixels'"));

        var small = ml.Data.LoadFromEnumerable(new[] { new TinyRow { Label = 1, Features = new float[10] }, new TinyRow { Label = 2, Features = new float[10] } });
        var size = Assert.Throws<ArgumentOutOfRangeException>(() => ml.MulticlassClassification.Trainers.Cnn(epochs: 1).Fit(small));
        Assert.That(size!.Message, Does.Contain("'Features'").And.Contain("784").And.Contain("Vector<Single, 10>"));

        var shape = Assert.Throws<ArgumentOutOfRangeException>(() => ml.MulticlassClassification.Trainers.Cnn().GetOutputSchema(SchemaShape.Create(raw.Schema)));
        Assert.That(shape!.Message, Does.Contain("'Label'"));
    }

    public sealed class TinyRow
    {
        [KeyType(2)]
        public uint Label;

        [VectorType(10)]
        public float[] Features = [];
    }

    public sealed class ImageRow
    {
        [KeyType(3)]
        public uint Label;

        [VectorType(784)]
        public float[] Features = [];
    }

    [Test]
    public void Fit_MissingKeyRow_ThrowsNamingRow()
    {
        var ml = new MLContext(seed: 3);
        var rows = Enumerable.Range(0, 5).Select(i => new ImageRow { Label = i == 3 ? 0u : 1u, Features = new float[784] }).ToList();
        var e = Assert.Throws<InvalidOperationException>(() => ml.MulticlassClassification.Trainers.Cnn(Small()).Fit(ml.Data.LoadFromEnumerable(rows)));
        Assert.That(e!.Message, Does.Contain("Row 3").And.Contain("'Label'").And.Contain("missing key"));
    }

    [Test]
    public void Fit_ThreeClasses_ResizesLastLinearAndLearns()
    {
        var ml = new MLContext(seed: 3);
        var mnist = TestData.MnistTrain;
        var rows = Enumerable.Range(0, 3000).Where(i => mnist.Labels[i] < 3).Take(600)
            .Select(i => new ImageRow { Label = (uint)mnist.Labels[i] + 1, Features = mnist.Pixels.AsSpan(i * 784, 784).ToArray() }).ToList();
        var data = ml.Data.LoadFromEnumerable(rows);
        var messages = new List<string>();
        ml.Log += (_, e) => messages.Add(e.Message);
        using var model = ml.MulticlassClassification.Trainers.Cnn(new CnnTrainer.Options { Epochs = 2 }).Fit(data);
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(data));

        Assert.That(model.NumberOfClasses, Is.EqualTo(3));
        Assert.That(model.Transform(data).Schema["Score"].Type.ToString(), Is.EqualTo("Vector<Single, 3>"));
        Assert.That(model.ClassNames, Is.EqualTo(new[] { "0", "1", "2" }), "no key values: classes are named by index");
        Assert.That(messages, Has.Some.Contains("resized to Linear(3)"));
        Assert.That(metrics.MicroAccuracy, Is.GreaterThan(0.9));
    }

    [Test]
    public void Options_OutOfRange_ThrowWhenTrainerIsCreated()
    {
        var trainers = new MLContext().MulticlassClassification.Trainers;
        Assert.Throws<ArgumentOutOfRangeException>(() => trainers.Cnn(epochs: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => trainers.Cnn(batchSize: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => trainers.Cnn(new CnnTrainer.Options { ValidationFraction = 1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => trainers.Cnn(new CnnTrainer.Options { LabelSmoothing = -0.1 }));
        Assert.Throws<ArgumentNullException>(() => trainers.Cnn(null!));
    }

    [Test]
    public void Options_Defaults_FollowTheEngine()
    {
        var options = new CnnTrainer.Options();
        var engine = new TrainingOptions();
        Assert.That(options.Epochs, Is.EqualTo(engine.Epochs));
        Assert.That(options.BatchSize, Is.EqualTo(engine.BatchSize));
        Assert.That(options.Optimizer, Is.EqualTo(engine.Optimizer));
        Assert.That(options.Schedule, Is.EqualTo(engine.Schedule));
        Assert.That(options.Architecture, Is.SameAs(CnnArchitectures.SeedNet));
        Assert.That((options.LabelColumnName, options.FeatureColumnName, options.Seed, options.ValidationFraction),
            Is.EqualTo(("Label", "Features", (int?)null, 0.0)));
    }

    [Test]
    public void Fit_ValidationFractionAndProgress_ReportsValidationFiguresEachEpoch()
    {
        var ml = new MLContext(seed: 3);
        var reported = new List<EpochProgress>();
        var logged = new List<LoggingEventArgs>();
        ml.Log += (_, e) => logged.Add(e);
        using var model = ml.MulticlassClassification.Trainers.Cnn(new CnnTrainer.Options
        {
            Epochs = 2, ValidationFraction = 0.2, Progress = new SyncProgress(reported.Add),
        }).Fit(Keyed(ml, 500));
        Assert.That(reported, Has.Count.EqualTo(2));
        Assert.That(reported.Select(r => r.ValidationAccuracy), Has.All.Not.Null);
        Assert.That(model.History, Is.EqualTo(reported));
        Assert.That(logged.Where(l => l.Source == "CnnTrainer" && l.Kind == ChannelMessageKind.Info).Select(l => l.RawMessage),
            Has.Some.StartsWith("epoch 2/2"));
    }

    private sealed class SyncProgress(Action<EpochProgress> report) : IProgress<EpochProgress>
    {
        public void Report(EpochProgress value) => report(value);
    }

    [Test]
    public void Fit_SameSeed_IdenticalScoresAndOtherSeed_Different()
    {
        var ml = new MLContext(seed: 3);
        var keyed = Keyed(ml, 300);
        float[] Scores(int? seed)
        {
            using var model = ml.MulticlassClassification.Trainers.Cnn(Small(seed)).Fit(keyed);
            return (float[])PipelineData.ReadAll(ml.Data.TakeRows(model.Transform(keyed), 1), "Score")[0]["Score"]!;
        }
        var first = Scores(null);
        Assert.That(Scores(null), Is.EqualTo(first), "the context's seed fixes weights, shuffling and dropout");
        Assert.That(Scores(3), Is.EqualTo(first), "no seed in the options means the context's");
        Assert.That(Scores(4), Is.Not.EqualTo(first));
    }

    [Test]
    public void Fit_CancelledToken_ThrowsOperationCanceled()
    {
        var ml = new MLContext(seed: 3);
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        Assert.That(() => ml.MulticlassClassification.Trainers.Cnn(new CnnTrainer.Options { CancellationToken = cancel.Token }).Fit(Keyed(ml, 100)),
            Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public void Fit_GpuRequestedWithoutCuda_ThrowsOrFallsBackWithWarning()
    {
        Assume.That(TorchRuntime.CudaDeviceCount, Is.Zero, "this machine has a usable GPU");
        var ml = new MLContext(seed: 3) { GpuDeviceId = 0 };
        var keyed = Keyed(ml, 100);
        Assert.Throws<DeviceUnavailableException>(() => ml.MulticlassClassification.Trainers.Cnn(Small()).Fit(keyed));

        ml.FallbackToCpu = true;
        var warnings = new List<string>();
        ml.Log += (_, e) => { if (e.Kind == ChannelMessageKind.Warning) warnings.Add(e.RawMessage); };
        using var model = ml.MulticlassClassification.Trainers.Cnn(Small()).Fit(keyed);
        Assert.That(model.Device, Is.EqualTo(Device.Cpu));
        Assert.That(warnings, Has.Some.Contains("continuing on the CPU"));
    }

    [Test]
    public void Dispose_Model_ScoringThrowsButPassThroughStillReadsAndDoubleDisposeIsHarmless()
    {
        var ml = new MLContext(seed: 3);
        var keyed = Keyed(ml, 200);
        var model = ml.MulticlassClassification.Trainers.Cnn(Small()).Fit(keyed);
        var scored = model.Transform(keyed);
        model.Dispose();
        model.Dispose();
        Assert.Throws<ObjectDisposedException>(() => model.Transform(keyed));
        Assert.Throws<ObjectDisposedException>(() => PipelineData.ReadAll(scored, "Score"));
        Assert.That(PipelineData.ReadAll(scored, "Label"), Has.Count.EqualTo(200), "a cursor that reads no score never touches the network");
    }
}
