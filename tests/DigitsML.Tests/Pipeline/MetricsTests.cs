// MetricsTests.cs — Evaluate's figures against hand-computed values, and ML.NET's confusion-table layout exactly.
using DigitsML.Data;

namespace DigitsML.Tests.Pipeline;

public sealed class MetricsTests
{
    public sealed class Scored
    {
        [KeyType(3)]
        public uint Label;

        [VectorType(3)]
        public float[] Score = [];

        [KeyType(3)]
        public uint PredictedLabel;
    }

    // (class, scores): see each row's prediction, probability of the truth and rank of the truth in the comments.
    private static readonly (int Label, float[] Score)[] rows =
    [
        (0, [0.7f, 0.2f, 0.1f]),   // predicted 0, p 0.7,  rank 0
        (0, [0.3f, 0.4f, 0.3f]),   // predicted 1, p 0.3,  rank 1
        (1, [0.1f, 0.8f, 0.1f]),   // predicted 1, p 0.8,  rank 0
        (2, [0.5f, 0.25f, 0.25f]), // predicted 0, p 0.25, rank 2 (tie with class 1, which comes first)
        (2, [0.2f, 0.2f, 0.6f]),   // predicted 2, p 0.6,  rank 0
        (1, [0.1f, 0.5f, 0.4f]),   // predicted 1, p 0.5,  rank 0
        (2, [0f, 0f, 1f]),         // predicted 2, p 1,    rank 0
        (0, [0f, 1f, 0f]),         // predicted 1, p 0 -> clamped to 1e-15, rank 1
        (0, [0.45f, 0.45f, 0.1f]), // predicted 0 (tie goes to the lowest index), p 0.45, rank 0
    ];

    private static MulticlassClassificationMetrics Evaluate(int topK = 0)
    {
        var ml = new MLContext();
        var data = ml.Data.LoadFromEnumerable(rows.Select(r => new Scored { Label = (uint)r.Label + 1, Score = r.Score }).ToList());
        return ml.MulticlassClassification.Evaluate(data, topKPredictionCount: topK);
    }

    [Test]
    public void Evaluate_SmallExample_MatchesHandComputedValues()
    {
        var m = Evaluate(topK: 2);
        float[] p = [0.7f, 0.3f, 0.8f, 0.25f, 0.6f, 0.5f, 1f, 1e-15f, 0.45f];
        double logLoss = p.Average(x => -Math.Log(x));
        double prior = -(4.0 / 9 * Math.Log(4.0 / 9) + 2.0 / 9 * Math.Log(2.0 / 9) + 3.0 / 9 * Math.Log(3.0 / 9));

        Assert.That(m.MicroAccuracy, Is.EqualTo(6.0 / 9).Within(1e-12));
        Assert.That(m.MacroAccuracy, Is.EqualTo((2.0 / 4 + 2.0 / 2 + 2.0 / 3) / 3).Within(1e-12));
        Assert.That(m.LogLoss, Is.EqualTo(logLoss).Within(1e-6));
        Assert.That(m.LogLoss, Is.EqualTo((34.538776 + 5.172567) / 9).Within(1e-5), "ln terms: 1e-15 clamp and the rest by hand");
        Assert.That(m.LogLossReduction, Is.EqualTo((prior - m.LogLoss) / prior).Within(1e-12));
        Assert.That(m.TopKPredictionCount, Is.EqualTo(2));
        Assert.That(m.TopKAccuracyForAllK, Is.EqualTo(new[] { 6.0 / 9, 8.0 / 9 }).Within(1e-12));
        Assert.That(m.TopKAccuracy, Is.EqualTo(8.0 / 9).Within(1e-12));
        Assert.That(m.PerClassLogLoss[1], Is.EqualTo((-Math.Log(0.8f) - Math.Log(0.5f)) / 2).Within(1e-6));
        Assert.That(m.PerClassLogLoss[0], Is.EqualTo((-Math.Log(0.7f) - Math.Log(0.3f) - Math.Log(1e-15f) - Math.Log(0.45f)) / 4).Within(1e-6));
    }

    [Test]
    public void Evaluate_SmallExample_ConfusionMatrixCountsPrecisionRecall()
    {
        var cm = Evaluate().ConfusionMatrix;
        Assert.That(cm.NumberOfClasses, Is.EqualTo(3));
        Assert.That(cm.Counts, Is.EqualTo(new[] { new double[] { 2, 2, 0 }, [0, 2, 0], [1, 0, 2] }), "rows are the truth, columns the prediction");
        Assert.That(cm.GetCountForClassPair(predictedClassIndicatorIndex: 1, actualClassIndicatorIndex: 0), Is.EqualTo(2));
        Assert.That(cm.GetCountForClassPair(predictedClassIndicatorIndex: 0, actualClassIndicatorIndex: 2), Is.EqualTo(1));
        Assert.That(cm.GetCountForClassPair(predictedClassIndicatorIndex: 2, actualClassIndicatorIndex: 0), Is.EqualTo(0));
        Assert.That(cm.PerClassPrecision, Is.EqualTo(new[] { 2.0 / 3, 2.0 / 4, 2.0 / 2 }).Within(1e-12));
        Assert.That(cm.PerClassRecall, Is.EqualTo(new[] { 2.0 / 4, 2.0 / 2, 2.0 / 3 }).Within(1e-12));
        Assert.Throws<ArgumentOutOfRangeException>(() => cm.GetCountForClassPair(3, 0));
    }

    [Test]
    public void Evaluate_NumericLabelAndUnusableRows_SameAsKeysAndRowsSkipped()
    {
        var ml = new MLContext();
        var numeric = rows.Select(r => new DigitLike { Label = r.Label, Score = r.Score }).ToList();
        numeric.Add(new DigitLike { Label = float.NaN, Score = [1, 0, 0] });     // unlabelled: skipped
        numeric.Add(new DigitLike { Label = 1.5f, Score = [1, 0, 0] });          // fractional: skipped
        numeric.Add(new DigitLike { Label = 1, Score = [float.NaN, 0, 0] });     // bad score: skipped
        var m = ml.MulticlassClassification.Evaluate(ml.Data.LoadFromEnumerable(numeric));
        var keyed = Evaluate();
        Assert.That(m.MicroAccuracy, Is.EqualTo(keyed.MicroAccuracy));
        Assert.That(m.LogLoss, Is.EqualTo(keyed.LogLoss));
        Assert.That(m.ConfusionMatrix.Counts, Is.EqualTo(keyed.ConfusionMatrix.Counts));
    }

    public sealed class DigitLike
    {
        public float Label;

        [VectorType(3)]
        public float[] Score = [];

        public float PredictedLabel;
    }

    [Test]
    public void Evaluate_LabelPastScoreLength_CostsClampedLogLossButNoConfusionRow()
    {
        var ml = new MLContext();
        var data = new List<DigitLike> { new() { Label = 0, Score = [1, 0, 0] }, new() { Label = 5, Score = [1, 0, 0] } };
        var m = ml.MulticlassClassification.Evaluate(ml.Data.LoadFromEnumerable(data));
        Assert.That(m.LogLoss, Is.EqualTo(-Math.Log(1e-15f) / 2).Within(1e-12));
        Assert.That(m.MicroAccuracy, Is.EqualTo(0.5));
        Assert.That(m.ConfusionMatrix.Counts.Sum(r => r.Sum()), Is.EqualTo(1));
    }

    [Test]
    public void Evaluate_MissingOrMistypedColumns_ThrowNamingColumn()
    {
        var ml = new MLContext();
        var data = ml.Data.LoadFromEnumerable(rows.Select(r => new Scored { Label = (uint)r.Label + 1, Score = r.Score }).ToList());
        var label = Assert.Throws<ArgumentOutOfRangeException>(() => ml.MulticlassClassification.Evaluate(data, labelColumnName: "Truth"));
        Assert.That(label!.Message, Does.Contain("'Truth'"));
        var score = Assert.Throws<ArgumentOutOfRangeException>(() => ml.MulticlassClassification.Evaluate(data, scoreColumnName: "Label"));
        Assert.That(score!.Message, Does.Contain("'Label'").And.Contain("Vector<Single>"));
        var predicted = Assert.Throws<ArgumentOutOfRangeException>(() => ml.MulticlassClassification.Evaluate(data, predictedLabelColumnName: "P"));
        Assert.That(predicted!.Message, Does.Contain("'P'"));
    }

    [Test]
    public void GetFormattedConfusionTable_ThreeClasses_MatchesMlNetLayoutExactly()
    {
        string expected = string.Join(Environment.NewLine,
            "",
            "Confusion table",
            "          ||========================",
            "PREDICTED ||     0 |     1 |     2 | Recall",
            "TRUTH     ||========================",
            "        0 ||     2 |     2 |     0 | 0.5000",
            "        1 ||     0 |     2 |     0 | 1.0000",
            "        2 ||     1 |     0 |     2 | 0.6667",
            "          ||========================",
            "Precision ||0.6667 |0.5000 |1.0000 |",
            "");
        Assert.That(Evaluate().ConfusionMatrix.GetFormattedConfusionTable(), Is.EqualTo(expected));
    }

    [Test]
    public void GetFormattedConfusionTable_TwoClasses_UsesWideColumns()
    {
        var cm = new ConfusionMatrix([[1, 0], [1, 1]], ["a", "b"]);
        string expected = string.Join(Environment.NewLine,
            "",
            "Confusion table",
            "          ||======================",
            "PREDICTED ||        a |        b | Recall",
            "TRUTH     ||======================",
            "        a ||        1 |        0 | 1.0000",
            "        b ||        1 |        1 | 0.5000",
            "          ||======================",
            "Precision ||   0.5000 |   1.0000 |",
            "");
        Assert.That(cm.GetFormattedConfusionTable(), Is.EqualTo(expected));
    }

    [Test]
    public void GetFormattedConfusionTable_LongNames_NumbersColumnsAndRows()
    {
        var cm = new ConfusionMatrix([[1234, 0, 0], [0, 1, 0], [0, 0, 0]], ["zero", "one", "two-and-a-bit"]);
        string pad = new(' ', 7);
        string rule = new('=', 24);
        string expected = string.Join(Environment.NewLine,
            "",
            "Confusion table",
            $"          {pad}||{rule}",
            $"PREDICTED {pad}||     0 |     1 |     2 | Recall",
            $"TRUTH     {pad}||{rule}",
            "0.          zero || 1,234 |     0 |     0 | 1.0000",
            "1.           one ||     0 |     1 |     0 | 1.0000",
            "2. two-and-a-bit ||     0 |     0 |     0 | 0.0000",
            $"          {pad}||{rule}",
            $"Precision {pad}||1.0000 |1.0000 |0.0000 |",
            "");
        Assert.That(cm.GetFormattedConfusionTable(), Is.EqualTo(expected));
    }

    public sealed class Named
    {
        public string Label = "";

        [VectorType(3)]
        public float[] Score = [];

        public float PredictedLabel;
    }

    [Test]
    public void Evaluate_ScoreWithoutSlotNames_NamesClassesByLabelKeyValues()
    {
        var ml = new MLContext();
        var data = ml.Data.LoadFromEnumerable(new[]
        {
            new Named { Label = "eel", Score = [0, 0, 1] }, new Named { Label = "cat", Score = [1, 0, 0] }, new Named { Label = "dog", Score = [1, 0, 0] },
        });
        var keyed = ml.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: Transforms.KeyOrdinality.ByValue).Fit(data).Transform(data);
        string table = ml.MulticlassClassification.Evaluate(keyed).ConfusionMatrix.GetFormattedConfusionTable();
        Assert.That(table, Does.Contain("PREDICTED ||   cat |   dog |   eel | Recall"));
        Assert.That(table, Does.Contain("      dog ||     1 |     0 |     0 | 0.0000"));
    }
}
