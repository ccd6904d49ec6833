// PredictionEngineTests.cs — single-example prediction: engines agree with batch scoring; the pool is thread-safe.
using DigitsML.Data;
using DigitsML.Transforms;

namespace DigitsML.Tests.Pipeline;

public sealed class PredictionEngineTests
{
    private static MLContext ml = null!;
    private static TransformerChain<KeyToValueMappingTransformer> model = null!;
    private static List<DigitInput> inputs = null!;

    [OneTimeSetUp]
    public static void Train()
    {
        ml = new MLContext(seed: 9);
        var train = ml.Data.TakeRows(PipelineData.MnistTrain, 500);
        model = ml.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: KeyOrdinality.ByValue)
            .Append(ml.MulticlassClassification.Trainers.Cnn(epochs: 1))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"))
            .Fit(train);
        inputs = ml.Data.CreateEnumerable<DigitInput>(ml.Data.TakeRows(PipelineData.MnistTest, 40), reuseRowObject: false).ToList();
    }

    [OneTimeTearDown]
    public static void Release() => model.Dispose();

    [Test]
    public void Predict_EachExample_SameAsBatchScoringOfOneRow()
    {
        using var engine = ml.Model.CreatePredictionEngine<DigitInput, DigitPrediction>(model);
        Assert.That(engine.OutputSchema["PredictedLabel"].Type, Is.EqualTo(NumberDataViewType.Single));
        foreach (var input in inputs.Take(10))
        {
            var single = ml.Data.CreateEnumerable<DigitPrediction>(model.Transform(ml.Data.LoadFromEnumerable(new[] { input })), false).Single();
            var predicted = engine.Predict(input);
            Assert.That(predicted.Score, Is.EqualTo(single.Score));
            Assert.That(predicted.Digit, Is.EqualTo(single.Digit));
        }
    }

    [Test]
    public void Predict_RefOverload_ReusesTheObjectAndItsArray()
    {
        using var engine = ml.Model.CreatePredictionEngine<DigitInput, DigitPrediction>(model);
        var prediction = new DigitPrediction { Score = new float[10] };
        var array = prediction.Score;
        engine.Predict(inputs[0], ref prediction);
        Assert.That(prediction.Score, Is.SameAs(array));
        Assert.That(array.Sum(), Is.EqualTo(1f).Within(1e-4f));
    }

    public sealed class FeaturesOnly
    {
        [VectorType(1, 28, 28)]
        public float[] Features = [];
    }

    public sealed class StrictPrediction
    {
        public float PredictedLabel;

        public float Confidence;
    }

    [Test]
    public void CreatePredictionEngine_MissingColumns_ThrowsNamingThem()
    {
        var input = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Model.CreatePredictionEngine<FeaturesOnly, DigitPrediction>(model));
        Assert.That(input!.Message, Does.Contain("'Label'"), "every column the transformers read must be in the input class, as in ML.NET");
        var output = Assert.Throws<ArgumentOutOfRangeException>(() =>
            ml.Model.CreatePredictionEngine<DigitInput, StrictPrediction>(model, ignoreMissingColumns: false));
        Assert.That(output!.Message, Does.Contain("'Confidence'"));
        using var lenient = ml.Model.CreatePredictionEngine<DigitInput, StrictPrediction>(model);
        Assert.That(lenient.Predict(inputs[0]).Confidence, Is.Zero);
    }

    [Test]
    public void Predict_AfterDispose_Throws()
    {
        var engine = ml.Model.CreatePredictionEngine<DigitInput, DigitPrediction>(model);
        engine.Dispose();
        engine.Dispose();
        Assert.Throws<ObjectDisposedException>(() => engine.Predict(inputs[0]));
    }

    [Test]
    public void Pool_ManyThreads_SameResultsAsOneEngine()
    {
        using var engine = ml.Model.CreatePredictionEngine<DigitInput, DigitPrediction>(model);
        var expected = inputs.Select(i => engine.Predict(i).Score).ToList();
        var pool = new PredictionEnginePool<DigitInput, DigitPrediction>(model, maximumRetained: 3);
        var results = new float[4][][];
        var threads = Enumerable.Range(0, 4).Select(t => new Thread(() =>
        {
            // Each thread walks the inputs from a different start, so engines interleave on different rows.
            results[t] = new float[inputs.Count][];
            for (int k = 0; k < inputs.Count; k++)
            {
                int i = (k + t * 7) % inputs.Count;
                results[t][i] = pool.Predict(inputs[i]).Score;
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        for (int t = 0; t < 4; t++)
            Assert.That(results[t], Is.EqualTo(expected), $"thread {t}");
        var borrowed = pool.GetPredictionEngine();
        pool.ReturnPredictionEngine(borrowed);
        Assert.That(pool.Model, Is.SameAs(model));
    }
}
