// CnnTrainerTests.cs — the CNN trainer and its fitted transformer on the real ML.NET: the columns it adds, schema and data
// errors, options, device, class-count adaptation, seeding, logging, what stays reachable after Fit, and disposal.
// Small subsets, one epoch.
using DigitsML.Engine;
using DigitsML.Networks;
using DigitsML.Trainers;

namespace DigitsML.Tests.Pipeline;

public sealed class CnnTrainerTests
{
    private static IDataView Keyed(MLContext ml, int rows) => ml.Data.Cache(PipelineData.Keyed(ml, ml.Data.TakeRows(PipelineData.MnistTrain, rows)));

    private static CnnTrainer.Options Small(int seed = 0) => new() { Epochs = 1, Seed = seed };

    [Test]
    [Category("Slow")]
    public void Transform_Scored_AddsScoreWithSlotNamesAndPredictedLabelWithTheLabelsKeyValues()
    {
        var ml = new MLContext(seed: 3);
        var keyed = Keyed(ml, 300);
        using var model = ml.MulticlassClassification.Trainers.Cnn(Small()).Fit(keyed);
        var scored = model.Transform(keyed);
        var score = scored.Schema["Score"];
        var predicted = scored.Schema["PredictedLabel"];

        Assert.That(score.Type, Is.InstanceOf<VectorDataViewType>().With.Property(nameof(VectorDataViewType.Size)).EqualTo(10));
        Assert.That(((VectorDataViewType)score.Type).ItemType, Is.EqualTo(NumberDataViewType.Single));
        Assert.That(predicted.Type, Is.EqualTo(keyed.Schema["Label"].Type), "PredictedLabel is a key like the label");
        VBuffer<ReadOnlyMemory<char>> names = default;
        score.GetSlotNames(ref names);
        Assert.That(names.DenseValues().Select(n => n.ToString()), Is.EqualTo(Enumerable.Range(0, 10).Select(i => i.ToString())));
        VBuffer<float> values = default, labelValues = default;
        predicted.GetKeyValues(ref values);
        keyed.Schema["Label"].GetKeyValues(ref labelValues);
        Assert.That(values.DenseValues(), Is.EqualTo(labelValues.DenseValues()));
        Assert.That(scored.Schema.Where(c => !c.IsHidden).Select(c => c.Name), Is.EqualTo(new[] { "Label", "Features", "Score", "PredictedLabel" }),
            "the scoring chain's helper columns are dropped");
        foreach (var row in PipelineData.ReadAll(scored, "Score", "PredictedLabel"))
        {
            var s = (float[])row["Score"]!;
            Assert.That((uint)row["PredictedLabel"]!, Is.EqualTo((uint)Array.IndexOf(s, s.Max()) + 1));
        }
        Assert.That(model.Device, Is.EqualTo(Device.Cpu));
        Assert.That(model.Summary.Name, Is.EqualTo("SeedNet"));
        Assert.That(model.History.Single().Epoch, Is.EqualTo(1));
        Assert.That(model.ClassNames, Is.EqualTo(Enumerable.Range(0, 10).Select(i => i.ToString())));
        Assert.That(model.FeatureColumnName, Is.EqualTo("Features"));
    }

    [Test]
    [Category("Slow")]
    public void Fit_TextLabels_PredictedLabelMapsBackToTheText()
    {
        var ml = new MLContext(seed: 3);
        var mnist = TestData.MnistTrain;
        string[] words = ["zero", "one", "two"];
        var rows = Enumerable.Range(0, 3000).Where(i => mnist.Labels[i] < 3).Take(600)
            .Select(i => new WordRow { Label = words[mnist.Labels[i]], Features = mnist.Pixels.AsSpan(i * 784, 784).ToArray() }).ToList();
        var data = ml.Data.LoadFromEnumerable(rows);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.MulticlassClassification.Trainers.Cnn(new CnnTrainer.Options { Epochs = 2, Seed = 1 }))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
        var model = pipeline.Fit(data);
        try
        {
            var predicted = PipelineData.Column<string>(model.Transform(data), "PredictedLabel");
            double accuracy = predicted.Zip(rows).Count(p => p.First == p.Second.Label) / (double)rows.Count;
            Assert.That(predicted.Distinct().Order(), Is.EqualTo(words.Order()));
            Assert.That(accuracy, Is.GreaterThan(0.9), "the text comes back through the label's key values");
            Assert.That(model.LastTransformer, Is.Not.Null);
            Assert.That(model.OfType<CnnTransformer>().Single().ClassNames, Is.EqualTo(new[] { "zero", "one", "two" }), "key order: first seen");
        }
        finally
        {
            model.Dispose();
        }
    }

    public sealed class WordRow
    {
        public string Label { get; set; } = "";

        [VectorType(784)]
        public float[] Features { get; set; } = [];
    }

    [Test]
    public void Fit_WrongColumns_ThrowsNamingTheColumnBeforeTraining()
    {
        var ml = new MLContext(seed: 3);
        var raw = ml.Data.TakeRows(PipelineData.MnistTrain, 100);
        var epochs = new List<EpochProgress>();
        var watched = Small() with { Progress = new SyncProgress<EpochProgress>(epochs.Add) };

        var notKey = Assert.Throws<ArgumentOutOfRangeException>(() => ml.MulticlassClassification.Trainers.Cnn(watched).Fit(raw));
        Assert.That(notKey!.Message, Does.Contain("label column 'Label'").And.Contain("expected Key, got Single").And.Contain("MapValueToKey"));

        var keyed = Keyed(ml, 100);
        var missing = Assert.Throws<ArgumentOutOfRangeException>(() =>
            ml.MulticlassClassification.Trainers.Cnn(watched with { FeatureColumnName = "Pixels" }).Fit(keyed));
        Assert.That(missing!.Message, Does.Contain("feature column 'Pixels'").And.Contain("not found"));

        var small = ml.Data.LoadFromEnumerable(new[] { new TinyRow { Label = 1, Features = new float[10] }, new TinyRow { Label = 2, Features = new float[10] } });
        var size = Assert.Throws<ArgumentOutOfRangeException>(() => ml.MulticlassClassification.Trainers.Cnn(watched).Fit(small));
        Assert.That(size!.Message, Does.Contain("'Features'").And.Contain("784").And.Contain("Vector<Single, 10>"));
        Assert.That(epochs, Is.Empty, "nothing was trained");

        var shape = Assert.Throws<ArgumentOutOfRangeException>(() => ml.MulticlassClassification.Trainers.Cnn().GetOutputSchema(EstimatorConformance.ShapeOf(raw.Schema)));
        Assert.That(shape!.Message, Does.Contain("'Label'").And.Contain("Key"));
        var noFeatures = Assert.Throws<ArgumentOutOfRangeException>(() =>
            ml.MulticlassClassification.Trainers.Cnn(featureColumnName: "Pixels").GetOutputSchema(EstimatorConformance.ShapeOf(keyed.Schema)));
        Assert.That(noFeatures!.Message, Does.Contain("'Pixels'"));
    }

    public sealed class TinyRow
    {
        [KeyType(2)]
        public uint Label;

        [VectorType(10)]
        public float[] Features = [];
    }

    /// <summary>A user class with a key label. ML.NET reads a key field of a class as 0-based (0 is the first class, key 1
    /// in the view) and a value past the count as a missing key.</summary>
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
        var rows = Enumerable.Range(0, 5).Select(i => new ImageRow { Label = i == 3 ? 3u : 1u, Features = new float[784] }).ToList();
        var e = Assert.Throws<InvalidOperationException>(() => ml.MulticlassClassification.Trainers.Cnn(Small()).Fit(ml.Data.LoadFromEnumerable(rows)));
        Assert.That(e!.Message, Does.Contain("Row 3").And.Contain("'Label'").And.Contain("missing key"));
    }

    private static List<ImageRow> ThreeDigits(int count)
    {
        var mnist = TestData.MnistTrain;
        return [.. Enumerable.Range(0, 5 * count).Where(i => mnist.Labels[i] < 3).Take(count)
            .Select(i => new ImageRow { Label = (uint)mnist.Labels[i], Features = mnist.Pixels.AsSpan(i * 784, 784).ToArray() })];
    }

    [Test]
    [Category("Slow")]
    public void Fit_ThreeClassesWithoutKeyValues_ResizesLastLinearAndLearns()
    {
        var ml = new MLContext(seed: 3);
        var data = ml.Data.LoadFromEnumerable(ThreeDigits(600));
        var messages = new List<string>();
        using var model = ml.MulticlassClassification.Trainers.Cnn(new CnnTrainer.Options { Epochs = 2, Log = messages.Add }).Fit(data);
        var scored = model.Transform(data);
        var metrics = ml.MulticlassClassification.Evaluate(scored);

        Assert.That(model.NumberOfClasses, Is.EqualTo(3));
        Assert.That(((VectorDataViewType)scored.Schema["Score"].Type).Size, Is.EqualTo(3));
        Assert.That(scored.Schema["PredictedLabel"].Type, Is.EqualTo(new KeyDataViewType(typeof(uint), 3)));
        Assert.That(model.ClassNames, Is.EqualTo(new[] { "0", "1", "2" }), "no key values: classes are named by index");
        Assert.That(messages, Has.Some.Contains("resized to Linear(3)"));
        Assert.That(metrics.MicroAccuracy, Is.GreaterThan(0.9));
    }

    /// <summary>A key without values is a label ML.NET users have too ([KeyType] in their classes): the estimator must
    /// declare what it makes for it as well.</summary>
    [Test]
    [Category("Slow")]
    public void Conformance_LabelKeyWithoutValues_Passes()
    {
        var ml = new MLContext(seed: 3);
        var data = ml.Data.LoadFromEnumerable(ThreeDigits(300));

        var rows = EstimatorConformance.Check<ImageRow, ThreeClassPrediction>(ml.MulticlassClassification.Trainers.Cnn(Small()), data);

        Assert.That(rows.Select(r => (uint)r["PredictedLabel"]!), Has.All.InRange(1u, 3u));
    }

    public sealed class ThreeClassPrediction
    {
        public uint PredictedLabel;

        public float[] Score = [];
    }

    [Test]
    public void Options_OutOfRange_ThrowWhenTrainerIsCreated()
    {
        var trainers = new MLContext().MulticlassClassification.Trainers;
        Assert.Throws<ArgumentOutOfRangeException>(() => trainers.Cnn(epochs: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => trainers.Cnn(batchSize: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => trainers.Cnn(new CnnTrainer.Options { ValidationFraction = 1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => trainers.Cnn(new CnnTrainer.Options { LabelSmoothing = -0.1 }));
        Assert.Throws<ArgumentException>(() => trainers.Cnn(labelColumnName: ""));
        Assert.Throws<ArgumentNullException>(() => trainers.Cnn(null!));
    }

    [Test]
    public void Options_Defaults_FollowTheEngine()
    {
        var options = new CnnTrainer.Options();
        var engine = new CnnTrainer.Options();
        Assert.That(options.Epochs, Is.EqualTo(engine.Epochs));
        Assert.That(options.BatchSize, Is.EqualTo(engine.BatchSize));
        Assert.That(options.Optimizer, Is.EqualTo(engine.Optimizer));
        Assert.That(options.Schedule, Is.EqualTo(engine.Schedule));
        Assert.That(options.Architecture, Is.SameAs(CnnArchitectures.SeedNet));
        Assert.That((options.LabelColumnName, options.FeatureColumnName, options.Seed, options.ValidationFraction, options.GpuDeviceId),
            Is.EqualTo(("Label", "Features", 0, 0.0, (int?)null)));
    }

    [Test]
    [Category("Slow")]
    public void Fit_ValidationFractionProgressAndLog_ReportEachEpochAndTheRun()
    {
        var ml = new MLContext(seed: 3);
        var reported = new List<EpochProgress>();
        var logged = new List<string>();
        using var model = ml.MulticlassClassification.Trainers.Cnn(new CnnTrainer.Options
        {
            Epochs = 2, ValidationFraction = 0.2, Progress = new SyncProgress<EpochProgress>(reported.Add), Log = logged.Add,
        }).Fit(Keyed(ml, 500));
        Assert.That(reported, Has.Count.EqualTo(2));
        Assert.That(reported.Select(r => r.ValidationAccuracy), Has.All.Not.Null);
        Assert.That(model.History, Is.EqualTo(reported));
        Assert.That(logged, Has.Some.Contains("Training SeedNet on cpu: 400 rows, 100 held out for validation, 10 classes"));
    }

    private sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }

    [Test]
    [Category("Slow")]
    public void Fit_SameSeed_IdenticalScoresAndOtherSeed_Different()
    {
        var ml = new MLContext(seed: 3);
        var keyed = Keyed(ml, 300);
        float[] Scores(int seed)
        {
            using var model = ml.MulticlassClassification.Trainers.Cnn(Small(seed)).Fit(keyed);
            return PipelineData.Column<float[]>(ml.Data.TakeRows(model.Transform(keyed), 1), "Score")[0];
        }
        var first = Scores(1);
        Assert.That(Scores(1), Is.EqualTo(first), "the options' seed fixes weights, shuffling and dropout");
        Assert.That(Scores(2), Is.Not.EqualTo(first));
        Assert.That(Scores(0), Is.EqualTo(Scores(0)), "the default seed (0) is repeatable too");
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
    [Category("Slow")]
    public void Fit_GpuRequestedWithoutCuda_ThrowsOrFallsBackWithALogLine()
    {
        Assume.That(TorchRuntime.CudaDeviceCount, Is.Zero, "this machine has a usable GPU");
        var ml = new MLContext(seed: 3);
        var keyed = Keyed(ml, 100);
        var e = Assert.Throws<DeviceUnavailableException>(() => ml.MulticlassClassification.Trainers.Cnn(Small() with { GpuDeviceId = 0 }).Fit(keyed));
        Assert.That(e!.Message, Does.Contain("GPU 0 was requested"));

        var logged = new List<string>();
        using var model = ml.MulticlassClassification.Trainers.Cnn(Small() with { GpuDeviceId = 0, FallbackToCpu = true, Log = logged.Add }).Fit(keyed);
        Assert.That(model.Device, Is.EqualTo(Device.Cpu));
        Assert.That(logged, Has.Some.Contains("continuing on the CPU"));
        Assert.That(PipelineData.ReadAll(model.Transform(keyed), "Score"), Has.Count.EqualTo(100), "a GPU asked for in training does not reach scoring");
    }

    [Test]
    [Category("Slow")]
    public void Fit_Twice_GivesIndependentModels()
    {
        var ml = new MLContext(seed: 3);
        var keyed = Keyed(ml, 200);
        var trainer = ml.MulticlassClassification.Trainers.Cnn(Small(5));
        var first = trainer.Fit(keyed);
        using var second = trainer.Fit(keyed);
        var expected = PipelineData.Column<float[]>(second.Transform(keyed), "Score");

        first.Dispose();

        Assert.That(PipelineData.Column<float[]>(second.Transform(keyed), "Score"), Is.EqualTo(expected), "disposing one model leaves the other scoring");
        Assert.That(Weights(first), Is.EqualTo(Weights(second)), "the same seed trains the same weights");
    }

    private static List<(string, byte[])> Weights(CnnTransformer model) =>
        [.. DigitsML.Onnx.Graph.ModelProto.Parser.ParseFrom(model.OnnxModel.Span).Graph.Initializer.Select(t => (t.Name, t.RawData.ToByteArray()))];

    [Test]
    [Category("Slow")]
    public void Dispose_Model_UseAfterwardsThrowsObjectDisposedAndDisposingAgainIsHarmless()
    {
        var ml = new MLContext(seed: 3);
        var keyed = Keyed(ml, 100);
        var model = ml.MulticlassClassification.Trainers.Cnn(Small()).Fit(keyed);

        model.Dispose();
        model.Dispose();

        Assert.Throws<ObjectDisposedException>(() => model.Transform(keyed));
        Assert.Throws<ObjectDisposedException>(() => model.GetOutputSchema(keyed.Schema));
        Assert.Throws<ObjectDisposedException>(() => ml.Model.Save(model, keyed.Schema, new MemoryStream()));
        Assert.That(model.History, Has.Count.EqualTo(1), "the training figures stay readable");
    }

    [Test]
    [Category("Slow")]
    public void Fit_ThenDispose_LeavesNoTemporaryFile()
    {
        // The fitted model scores through ML.NET's copy of its ONNX graph in the temporary folder: the copy must go with it.
        var ml = new MLContext(seed: 3);
        var keyed = Keyed(ml, 100);
        using var folder = new TemporaryDirectory();
        string? before = Environment.GetEnvironmentVariable("TMPDIR");
        Environment.SetEnvironmentVariable("TMPDIR", folder.Path);
        try
        {
            Assume.That(Path.GetTempPath().TrimEnd('/'), Is.EqualTo(folder.Path.TrimEnd('/')), "this runtime reads TMPDIR on each call");
            var model = ml.MulticlassClassification.Trainers.Cnn(Small()).Fit(keyed);
            Assert.That(PipelineData.ReadAll(model.Transform(keyed), "Score"), Has.Count.EqualTo(100));
            Assert.That(Directory.GetFileSystemEntries(folder.Path), Is.Not.Empty, "while it lives, the model's ONNX copy is there");
            model.Dispose();
            Assert.That(Directory.GetFileSystemEntries(folder.Path), Is.Empty, "disposing the model deletes its copy");
        }
        finally
        {
            Environment.SetEnvironmentVariable("TMPDIR", before);
        }
    }
}
