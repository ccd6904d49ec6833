// CrossValidationTests.cs — CrossValidate fits one model per fold and evaluates it on that fold only.
using DigitsML.Transforms;

namespace DigitsML.Tests.Pipeline;

public sealed class CrossValidationTests
{
    [Test]
    public void CrossValidate_ThreeFolds_DisjointHoldOutsCoveringTheData()
    {
        var ml = new MLContext(seed: 2);
        var data = ml.Data.Cache(ml.Data.TakeRows(PipelineData.MnistTrain, 900));
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: KeyOrdinality.ByValue)
            .Append(ml.MulticlassClassification.Trainers.Cnn(epochs: 3));  // 3 epochs of 600 rows: 15 steps, enough to learn
        var results = ml.MulticlassClassification.CrossValidate(data, pipeline, numberOfFolds: 3, seed: 1);
        try
        {
            Assert.That(results.Select(r => r.Fold), Is.EqualTo(new[] { 0, 1, 2 }));
            var holdOutSizes = results.Select(r => PipelineData.CountRows(r.ScoredHoldOutSet)).ToList();
            Assert.That(holdOutSizes.Sum(), Is.EqualTo(900), "every row is held out exactly once");
            Assert.That(holdOutSizes, Has.All.InRange(240, 360));
            TestContext.Out.WriteLine($"hold-out accuracies: {string.Join(", ", results.Select(r => r.Metrics.MicroAccuracy.ToString("P1")))}");
            Assert.That(results.Select(r => r.Metrics.MicroAccuracy), Has.All.GreaterThan(0.5));
            Assert.That(results.Select(r => r.Metrics.ConfusionMatrix.Counts.Sum(c => c.Sum())), Is.EqualTo(holdOutSizes.Select(s => (double)s)));
            Assert.That(results.Select(r => r.Model).Distinct().Count(), Is.EqualTo(3));
        }
        finally
        {
            foreach (var r in results)
                (r.Model as IDisposable)?.Dispose();
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => ml.MulticlassClassification.CrossValidate(data, pipeline, numberOfFolds: 1));
    }
}
