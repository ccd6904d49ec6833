// IssueProgramTests.cs — the program of issue 3, unchanged but for a subset of MNIST and two epochs as in the issue, from IDX files and
// from user classes.
using DigitsML.Data;
using DigitsML.Trainers;
using DigitsML.Transforms;
using DigitsML.Testing;

namespace DigitsML.Tests.Pipeline;

public sealed class IssueProgramTests
{
    private const int TrainRows = 3000, TestRows = 1000;

    [Test]
    public void IssueProgram_IdxFiles_TrainsEvaluatesSavesLoadsAndPredicts()
    {
        using var dir = new TemporaryDirectory();
        string modelPath = Path.Combine(dir.Path, "digits.zip");

        var ml = new MLContext(seed: 1);
        IDataView train = ml.Data.TakeRows(ml.Data.LoadFromIdx(TestData.TrainImages, TestData.TrainLabels), TrainRows);
        IDataView test = ml.Data.TakeRows(ml.Data.LoadFromIdx(TestData.TestImages, TestData.TestLabels), TestRows);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: KeyOrdinality.ByValue)
            .Append(ml.MulticlassClassification.Trainers.Cnn(new CnnTrainer.Options { Architecture = CnnArchitectures.SeedNet, Epochs = 2 }))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
        using var model = pipeline.Fit(train);
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(test));
        string table = metrics.ConfusionMatrix.GetFormattedConfusionTable();
        ml.Model.Save(model, train.Schema, modelPath);
        var loaded = ml.Model.Load(modelPath, out var schema);
        var engine = ml.Model.CreatePredictionEngine<DigitInput, DigitPrediction>(loaded);

        TestContext.Out.WriteLine(metrics);
        TestContext.Out.WriteLine(table);
        Assert.That(metrics.MicroAccuracy, Is.GreaterThanOrEqualTo(0.85));
        Assert.That(metrics.ConfusionMatrix.NumberOfClasses, Is.EqualTo(10));
        Assert.That(table, Does.Contain("PREDICTED ||     0 |     1 |"));
        Assert.That(schema["Features"].Type.ToString(), Is.EqualTo("Vector<Single, 1, 28, 28>"));

        var cnn = model.OfType<CnnTransformer>().Single();
        Assert.That(cnn.History, Has.Count.EqualTo(2));
        Assert.That(cnn.ClassNames, Is.EqualTo(Enumerable.Range(0, 10).Select(i => i.ToString())));

        // The engine on the loaded model agrees with the scored view of the original model, row for row.
        var inputs = ml.Data.CreateEnumerable<DigitInput>(ml.Data.TakeRows(test, 20), reuseRowObject: false).ToList();
        var scored = ml.Data.CreateEnumerable<DigitPrediction>(ml.Data.TakeRows(model.Transform(test), 20), reuseRowObject: false).ToList();
        for (int i = 0; i < inputs.Count; i++)
        {
            var p = engine.Predict(inputs[i]);
            Assert.That(p.Digit, Is.EqualTo(scored[i].Digit));
            Assert.That(p.Score, Is.EqualTo(scored[i].Score).Within(1e-6f));
            Assert.That(p.Digit, Is.EqualTo((float)Array.IndexOf(p.Score, p.Score.Max())), "the predicted digit is the arg-max of Score");
        }
        (loaded as IDisposable)?.Dispose();
    }

    [Test]
    public void IssueProgram_LoadFromEnumerable_SameResultsAsIdx()
    {
        var ml = new MLContext(seed: 1);
        IDataView train = ml.Data.LoadFromEnumerable(PipelineData.TrainImages(TrainRows));
        var testObjects = ml.Data.CreateEnumerable<DigitInput>(ml.Data.TakeRows(PipelineData.MnistTest, TestRows), reuseRowObject: false)
            .Select(d => new DigitImage { Label = d.Label, Features = d.Features }).ToList();
        IDataView test = ml.Data.LoadFromEnumerable(testObjects);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: KeyOrdinality.ByValue)
            .Append(ml.MulticlassClassification.Trainers.Cnn(new CnnTrainer.Options { Architecture = CnnArchitectures.SeedNet, Epochs = 2 }))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
        using var model = pipeline.Fit(train);
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(test));

        using var stream = new MemoryStream();
        ml.Model.Save(model, train.Schema, stream);
        stream.Position = 0;
        var loaded = ml.Model.Load(stream, out var schema);
        var engine = ml.Model.CreatePredictionEngine<DigitImage, DigitPrediction>(loaded);
        var prediction = engine.Predict(testObjects[0]);

        Assert.That(schema["Features"].Type.ToString(), Is.EqualTo("Vector<Single, 784>"));
        Assert.That(metrics.MicroAccuracy, Is.GreaterThanOrEqualTo(0.85));
        Assert.That(prediction.Score, Has.Length.EqualTo(10));
        Assert.That(prediction.Score.Sum(), Is.EqualTo(1f).Within(1e-4f));
        (loaded as IDisposable)?.Dispose();
    }
}
