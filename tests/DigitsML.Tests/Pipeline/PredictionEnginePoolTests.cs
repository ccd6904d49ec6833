// PredictionEnginePoolTests.cs — DigitsML's PredictionEnginePool over a real ML.NET model: threads get what one engine
// gives, engines are reused and never dispose the model, and schema or argument errors surface when the pool is made.
// The 16 × 10,000 load test is Reliability/PredictionEnginePoolLoadTests.cs.
using DigitsML.Tests.Reliability;

namespace DigitsML.Tests.Pipeline;

[TestFixture]
public sealed class PredictionEnginePoolTests
{
    private MLContext ml = null!;
    private ITransformer model = null!;
    private List<DigitInput> inputs = null!;

    [OneTimeSetUp]
    public void Load()
    {
        ml = new MLContext();
        model = ServingFixtures.LoadModel(ml);
        inputs = ml.Data.CreateEnumerable<DigitInput>(ml.Data.TakeRows(PipelineData.MnistTest, 40), reuseRowObject: false).ToList();
    }

    [OneTimeTearDown]
    public void Release() => (model as IDisposable)?.Dispose();

    [Test]
    public void Predict_FourThreads_SameResultsAsOneEngine()
    {
        List<DigitPrediction> expected;
        using (var engine = ml.Model.CreatePredictionEngine<DigitInput, DigitPrediction>(model, new PredictionEngineOptions { OwnsTransformer = false }))
            expected = [.. inputs.Select(engine.Predict)];
        var pool = new PredictionEnginePool<DigitInput, DigitPrediction>(model, maximumRetained: 3);
        var results = new DigitPrediction[4][];

        var threads = Enumerable.Range(0, 4).Select(t => new Thread(() =>
        {
            // Each thread walks the inputs from a different start, so engines interleave on different rows.
            results[t] = new DigitPrediction[inputs.Count];
            for (int k = 0; k < inputs.Count; k++)
            {
                int i = (k + t * 7) % inputs.Count;
                results[t][i] = pool.Predict(inputs[i]);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        for (int t = 0; t < 4; t++)
        {
            Assert.That(results[t].Select(r => r.Score), Is.EqualTo(expected.Select(r => r.Score)), $"thread {t}");
            Assert.That(results[t].Select(r => r.PredictedLabel), Is.EqualTo(expected.Select(r => r.PredictedLabel)), $"thread {t}");
        }
        Assert.That(pool.Model, Is.SameAs(model));
    }

    [Test]
    public void ReturnPredictionEngine_PastMaximumRetained_DropsTheExtraEnginesButNeverTheModel()
    {
        var pool = new PredictionEnginePool<DigitInput, DigitPrediction>(model, maximumRetained: 1);
        var engines = Enumerable.Range(0, 3).Select(_ => pool.GetPredictionEngine()).ToList();

        Assert.That(engines.Distinct().Count(), Is.EqualTo(3), "an empty pool makes new engines");
        engines.ForEach(pool.ReturnPredictionEngine);
        var reused = pool.GetPredictionEngine();

        var fresh = pool.GetPredictionEngine();

        Assert.That(reused, Is.SameAs(engines[0]), "the one retained engine is reused");
        Assert.That(engines, Does.Not.Contain(fresh), "engines given back past the maximum were dropped, not kept");
        Assert.That(fresh.Predict(inputs[0]).Score, Is.EqualTo(reused.Predict(inputs[0]).Score), "dropping engines left the model scoring");
        pool.ReturnPredictionEngine(reused);
        pool.ReturnPredictionEngine(fresh);
    }

    public sealed class MissingFeatures
    {
        public float Label { get; set; }
    }

    [Test]
    public void Create_InputClassWithoutTheModelsColumns_ThrowsNamingTheColumn()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new PredictionEnginePool<MissingFeatures, DigitPrediction>(model));

        Assert.That(e!.Message, Does.Contain("Features"));
    }

    [Test]
    public void Create_BadArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => new PredictionEnginePool<DigitInput, DigitPrediction>(null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PredictionEnginePool<DigitInput, DigitPrediction>(model, maximumRetained: 0));
        var pool = new PredictionEnginePool<DigitInput, DigitPrediction>(model);
        Assert.Throws<ArgumentNullException>(() => pool.Predict(null!));
        Assert.Throws<ArgumentNullException>(() => pool.ReturnPredictionEngine(null!));
    }
}
