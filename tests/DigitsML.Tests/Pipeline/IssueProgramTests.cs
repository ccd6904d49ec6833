// IssueProgramTests.cs — issue 11's programs as written there, on a 10,000-image subset of MNIST with two SeedNet epochs:
// train, evaluate, save; load in a fresh MLContext and predict with a prediction engine; then the photos program on the
// fixture photos with the loaded model. Also the same program from user classes (LoadFromEnumerable).
using DigitsML.Tests.Imaging;
using DigitsML.Trainers;

namespace DigitsML.Tests.Pipeline;

[TestFixture]
[Category("Slow")]
public sealed class IssueProgramTests
{
    private const int TrainRows = 10_000, TestRows = 2_000;

    private TemporaryDirectory folder = null!;
    private string modelPath = "";
    private MLContext ml = null!;
    private IDataView train = null!, test = null!;
    private ITransformer model = null!;
    private MulticlassClassificationMetrics metrics = null!;

    private static IEstimator<ITransformer> Pipeline(MLContext ml) =>
        ml.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
            .Append(ml.MulticlassClassification.Trainers.Cnn(new CnnTrainer.Options { Architecture = CnnArchitectures.SeedNet, Epochs = 2, Seed = 1 }))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));

    /// <summary>The issue's first program, up to <c>ml.Model.Save</c>.</summary>
    [OneTimeSetUp]
    public void TrainEvaluateSave()
    {
        folder = new TemporaryDirectory();
        modelPath = Path.Combine(folder.Path, "digits.zip");
        ml = new MLContext(seed: 1);
        train = ml.Data.TakeRows(ml.Data.LoadFromIdx(TestData.TrainImages, TestData.TrainLabels), TrainRows);
        test = ml.Data.TakeRows(ml.Data.LoadFromIdx(TestData.TestImages, TestData.TestLabels), TestRows);
        model = Pipeline(ml).Fit(train);
        metrics = ml.MulticlassClassification.Evaluate(model.Transform(test));
        TestContext.Out.WriteLine(metrics.ConfusionMatrix.GetFormattedConfusionTable());
        ml.Model.Save(model, train.Schema, modelPath);
    }

    [OneTimeTearDown]
    public void Release()
    {
        (model as IDisposable)?.Dispose();
        folder.Dispose();
    }

    [Test]
    public void Evaluate_TwoEpochsOnTenThousandImages_LearnsAndGivesTheConfusionTable()
    {
        string table = metrics.ConfusionMatrix.GetFormattedConfusionTable();

        TestContext.Out.WriteLine($"micro-accuracy {metrics.MicroAccuracy:P2}, macro {metrics.MacroAccuracy:P2}, log-loss {metrics.LogLoss:F4}");
        Assert.That(metrics.MicroAccuracy, Is.GreaterThanOrEqualTo(0.93), "measured 94.95 % on the first 2,000 test images");
        Assert.That(metrics.ConfusionMatrix.NumberOfClasses, Is.EqualTo(10));
        Assert.That(metrics.ConfusionMatrix.Counts.Sum(r => r.Sum()), Is.EqualTo(TestRows));
        Assert.That(table, Does.Contain("PREDICTED ||     0 |     1 |"));
        var cnn = ((IEnumerable<ITransformer>)model).OfType<CnnTransformer>().Single();
        Assert.That(cnn.History, Has.Count.EqualTo(2));
        Assert.That(cnn.History[1].TrainAccuracy, Is.GreaterThan(cnn.History[0].TrainAccuracy), "the second epoch improves");
    }

    [Test]
    public void Load_FreshContext_ScoresBitIdenticallyAndKeepsTheInputSchema()
    {
        var scoring = new MLContext();
        ITransformer loaded = scoring.Model.Load(modelPath, out DataViewSchema inputSchema);
        try
        {
            Assert.That(inputSchema.Select(c => (c.Name, c.Type.ToString())),
                Is.EqualTo(new[] { ("Label", "Single"), ("Features", "Vector<Single, 1, 28, 28>") }));
            var before = PipelineData.ReadAll(model.Transform(test), "Score", "PredictedLabel");
            Assert.That(PipelineData.ReadAll(loaded.Transform(test), "Score", "PredictedLabel"), Is.EqualTo(before));
            Assert.That(((IEnumerable<ITransformer>)loaded).OfType<CnnTransformer>(), Is.Empty, "the file holds ML.NET's transformers only");
        }
        finally
        {
            (loaded as IDisposable)?.Dispose();
        }
    }

    [Test]
    public void CreatePredictionEngine_LoadedModel_PredictsAsBatchScoringDoes()
    {
        var scoring = new MLContext();
        ITransformer loaded = scoring.Model.Load(modelPath, out _);
        var engine = scoring.Model.CreatePredictionEngine<DigitInput, DigitPrediction>(loaded);
        try
        {
            var inputs = ml.Data.CreateEnumerable<DigitInput>(ml.Data.TakeRows(test, 50), reuseRowObject: false).ToList();
            var scored = ml.Data.CreateEnumerable<DigitPrediction>(ml.Data.TakeRows(model.Transform(test), 50), reuseRowObject: false).ToList();
            for (int i = 0; i < inputs.Count; i++)
            {
                DigitPrediction p = engine.Predict(new DigitInput { Label = 0, Features = inputs[i].Features });
                Assert.That(p.Score, Is.EqualTo(scored[i].Score), $"row {i}");
                Assert.That(p.PredictedLabel, Is.EqualTo(scored[i].PredictedLabel), $"row {i}");
                Assert.That(p.PredictedLabel, Is.EqualTo((float)Array.IndexOf(p.Score, p.Score.Max())), "the digit is the arg-max of Score");
            }
            Assert.That(inputs.Count(x => engine.Predict(x).PredictedLabel == x.Label), Is.GreaterThanOrEqualTo(45), "most of 50 right");
        }
        finally
        {
            engine.Dispose();  // it owns the loaded model (DESIGN fact 12)
        }
    }

    [Test]
    public void PredictedLabel_BeforeMapKeyToValue_IsAKeyWithTheLabelsKeyValuesAndMapsBackToTheDigits()
    {
        var scoring = new MLContext();
        var loaded = (IEnumerable<ITransformer>)scoring.Model.Load(modelPath, out _);
        try
        {
            var steps = loaded.ToList();
            Assert.That(steps[^1], Is.InstanceOf<KeyToValueMappingTransformer>());
            var keyed = steps.SkipLast(1).Aggregate(test, (view, step) => step.Transform(view));
            var label = keyed.Schema["Label"];
            var predicted = keyed.Schema["PredictedLabel"];

            Assert.That(predicted.Type, Is.EqualTo(label.Type).And.EqualTo(new KeyDataViewType(typeof(uint), 10)));
            VBuffer<float> labelValues = default, predictedValues = default;
            label.GetKeyValues(ref labelValues);
            predicted.GetKeyValues(ref predictedValues);
            Assert.That(predictedValues.DenseValues(), Is.EqualTo(labelValues.DenseValues()).And.EqualTo(Enumerable.Range(0, 10).Select(i => (float)i)));

            var keys = PipelineData.Column<uint>(keyed, "PredictedLabel");
            var digits = PipelineData.Column<float>(((ITransformer)loaded).Transform(test), "PredictedLabel");
            var truth = PipelineData.Column<float>(test, "Label");
            Assert.That(digits, Is.EqualTo(keys.Select(k => predictedValues.GetValues()[(int)k - 1])), "MapKeyToValue gives each key's digit");
            Assert.That(keys, Has.All.InRange(1u, 10u), "no missing key");
            Assert.That(digits.Zip(truth).Count(p => p.First == p.Second) / (double)TestRows, Is.EqualTo(metrics.MicroAccuracy).Within(1e-12),
                "the digits given back are the ones Evaluate counted");
        }
        finally
        {
            (loaded as IDisposable)?.Dispose();
        }
    }

    [Test]
    public void PhotosProgram_LoadedModel_ReadsEveryPhotoAndRecognisesMost()
    {
        var scoring = new MLContext();
        ITransformer loaded = scoring.Model.Load(modelPath, out _);
        try
        {
            IDataView photos = scoring.Data.LoadFromImageFolder(ImageFixtures.Digits);    // one sub-folder per digit
            var read = scoring.Transforms.LoadImages("Image", imageFolder: null, inputColumnName: "ImagePath")
                .Append(scoring.Transforms.NormalizeDigit("Features", "Image"));
            IDataView scored = loaded.Transform(read.Fit(photos).Transform(photos));

            var rows = PipelineData.ReadAll(scored, "ImagePath", "PredictedLabel");
            static float Truth(object? path) => float.Parse(Path.GetFileName(Path.GetDirectoryName((string)path!))!);
            var wrong = rows.Where(r => (float)r["PredictedLabel"]! != Truth(r["ImagePath"]))
                .Select(r => $"{Truth(r["ImagePath"])}/{Path.GetFileName((string)r["ImagePath"]!)} → {r["PredictedLabel"]}").ToList();
            var photoMetrics = scoring.MulticlassClassification.Evaluate(scored);
            TestContext.Out.WriteLine($"recognised {rows.Count - wrong.Count} of {rows.Count} photos; wrong: {string.Join(", ", wrong)}");

            Assert.That(rows, Has.Count.EqualTo(30), "every PNG, JPEG and BMP photo is read");
            Assert.That(photoMetrics.MicroAccuracy, Is.EqualTo(1 - wrong.Count / 30.0).Within(1e-12), "Evaluate counts the same");
            Assert.That(wrong.Count, Is.LessThanOrEqualTo(6), "at least 80 % of the photos recognised (26 of 30 measured)");
        }
        finally
        {
            (loaded as IDisposable)?.Dispose();
        }
    }

    [Test]
    public void IssueProgram_LoadFromEnumerable_ScoresAsFromIdxFiles()
    {
        // The same 2,000 rows as user objects with a flat 784 vector: the same seed trains the same network, one epoch each.
        const int rows = 2000;
        var options = new CnnTrainer.Options { Architecture = CnnArchitectures.SeedNet, Epochs = 1, Seed = 1 };
        IEstimator<ITransformer> Pipeline(MLContext context) =>
            context.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
                .Append(context.MulticlassClassification.Trainers.Cnn(options))
                .Append(context.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
        var fromIdx = Pipeline(ml).Fit(ml.Data.TakeRows(train, rows));
        var objects = new MLContext(seed: 1);
        IDataView fromObjects = objects.Data.LoadFromEnumerable(PipelineData.TrainImages(rows));
        var other = Pipeline(objects).Fit(fromObjects);
        try
        {
            using var stream = new MemoryStream();
            objects.Model.Save(other, fromObjects.Schema, stream);
            stream.Position = 0;
            var loaded = new MLContext().Model.Load(stream, out var schema);
            using var engine = objects.Model.CreatePredictionEngine<DigitImage, DigitPrediction>(loaded);
            var testObjects = ml.Data.CreateEnumerable<DigitInput>(ml.Data.TakeRows(test, 20), reuseRowObject: false)
                .Select(d => new DigitImage { Label = d.Label, Features = d.Features }).ToList();
            var expected = PipelineData.Column<float[]>(fromIdx.Transform(ml.Data.TakeRows(test, 20)), "Score");

            Assert.That(schema["Features"].Type.ToString(), Is.EqualTo("Vector<Single, 784>"));
            for (int i = 0; i < testObjects.Count; i++)
                Assert.That(engine.Predict(testObjects[i]).Score, Is.EqualTo(expected[i]), $"row {i}");
        }
        finally
        {
            (other as IDisposable)?.Dispose();
            (fromIdx as IDisposable)?.Dispose();
        }
    }
}
