// DataEdgeCaseTests.cs — data the trainer cannot learn from (NaN or infinite features, fewer than two rows) gets a
// DataValueException naming the column and row; a non-finite feature met when scoring is documented by what it gives.
using DigitsML.Networks;
using DigitsML.Tests.Pipeline;
using DigitsML.Trainers;

namespace DigitsML.Tests.Reliability;

[TestFixture]
public sealed class DataEdgeCaseTests
{
    private static IDataView Rows(MLContext ml, int count, Func<int, float[]>? features = null)
    {
        var source = ml.Data.LoadFromEnumerable(Enumerable.Range(0, count).Select(i => new DigitImage
        {
            Label = i % 2,
            Features = features?.Invoke(i) ?? new float[784],
        }).ToList());
        return ml.Transforms.Conversion.MapValueToKey("Label").Fit(source).Transform(source);
    }

    private static CnnTrainer.Options Tiny => new() { Architecture = FuzzTargets.Tiny, Epochs = 1, BatchSize = 4 };

    [TestCase(float.NaN)]
    [TestCase(float.PositiveInfinity)]
    [TestCase(float.NegativeInfinity)]
    public void Fit_NonFiniteFeature_ThrowsDataValueExceptionNamingColumnAndRow(float bad)
    {
        var ml = new MLContext(seed: 1);
        var data = Rows(ml, 8, i => { var f = new float[784]; if (i == 5) f[100] = bad; return f; });

        var e = Assert.Throws<DataValueException>(() => ml.MulticlassClassification.Trainers.Cnn(Tiny).Fit(data));

        Assert.That(e!.ColumnName, Is.EqualTo("Features"));
        Assert.That(e.Row, Is.EqualTo(5));
        Assert.That(e.Message, Does.Contain("Row 5").And.Contain("'Features'").And.Contain("slot 100"));
    }

    [TestCase(0)]
    [TestCase(1)]
    public void Fit_FewerThanTwoRows_ThrowsDataValueException(int count)
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.SkipRows(Rows(ml, 8), 8 - count);

        var e = Assert.Throws<DataValueException>(() => ml.MulticlassClassification.Trainers.Cnn(Tiny).Fit(data));

        Assert.That(e!.Message, Does.Contain("at least 2 rows").And.Contain($"has {count}"));
    }

    [Test]
    public void Transform_NaNFeatureWhenScoring_GivesThatRowNaNScoresAndLeavesTheOthers()
    {
        // Scoring is ML.NET's ONNX transformer, which checks nothing. Through a linear network a NaN pixel reaches every
        // probability of its row, and only its row (ONNX Runtime's ReLU and max pooling may instead swallow it, so a
        // convolutional network can give finite scores: Tiny did). PredictedLabel still names a class: the arg-max mapping
        // never picks NaN over a number, and over a score of NaN only it moves on to the last class. Callers who may feed
        // NaN must check their features.
        var ml = new MLContext(seed: 1);
        var linear = new DigitsML.Networks.NetworkDefinition("Linear", [new DigitsML.Networks.Flatten(), new DigitsML.Networks.Linear(10)]);
        using var model = ml.MulticlassClassification.Trainers.Cnn(Tiny with { Architecture = linear }).Fit(Rows(ml, 8));
        var scored = model.Transform(Rows(ml, 4, i => { var f = new float[784]; if (i == 2) f[0] = float.NaN; return f; }));

        var rows = PipelineData.ReadAll(scored, "Score", "PredictedLabel");

        Assert.That((float[])rows[2]["Score"]!, Has.All.NaN);
        Assert.That((uint)rows[2]["PredictedLabel"]!, Is.EqualTo(2u), "the last of the two classes");
        Assert.That(rows.Where((_, i) => i != 2).SelectMany(r => (float[])r["Score"]!), Has.None.NaN);
    }
}
