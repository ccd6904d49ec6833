// MulticlassClassificationMetrics.cs — the figures of a multiclass evaluation, with ML.NET's names and definitions.
using System.Collections.Immutable;

namespace DigitsML.Data;

/// <summary>What <c>ml.MulticlassClassification.Evaluate</c> measured, defined as ML.NET defines it. The prediction
/// for a row is the arg-max of its <c>Score</c> (ties go to the lowest class index). Rows with a missing label, a
/// negative or fractional numeric label, or a non-finite score are left out of every figure.</summary>
public sealed class MulticlassClassificationMetrics
{
    internal MulticlassClassificationMetrics(double microAccuracy, double macroAccuracy, double logLoss, double logLossReduction,
        int topKPredictionCount, IReadOnlyList<double> topKAccuracyForAllK, IReadOnlyList<double> perClassLogLoss, ConfusionMatrix confusionMatrix)
    {
        MicroAccuracy = microAccuracy;
        MacroAccuracy = macroAccuracy;
        LogLoss = logLoss;
        LogLossReduction = logLossReduction;
        TopKPredictionCount = topKPredictionCount;
        TopKAccuracyForAllK = ImmutableArray.CreateRange(topKAccuracyForAllK);
        PerClassLogLoss = ImmutableArray.CreateRange(perClassLogLoss);
        ConfusionMatrix = confusionMatrix;
    }

    /// <summary>The fraction of rows predicted right (accuracy over all rows).</summary>
    public double MicroAccuracy { get; }

    /// <summary>The mean over the classes present in the data of each class's recall, so every class weighs the same
    /// however many rows it has.</summary>
    public double MacroAccuracy { get; }

    /// <summary>The mean of −ln p over rows, p being the score of the true class clamped to [1e-15, 1] (as a float, as in ML.NET); a true class past
    /// the score's length costs −ln 1e-15.</summary>
    public double LogLoss { get; }

    /// <summary>The relative information gain over predicting the class frequencies of the data itself:
    /// (H − <see cref="LogLoss"/>) / H, H being the entropy (in nats) of the labels' distribution. 1 is perfect, 0 is no
    /// better than the prior, negative is worse. As a fraction, as in ML.NET 1.x (not a percentage). NaN or infinite when
    /// the data holds one class only (H = 0).</summary>
    public double LogLossReduction { get; }

    /// <summary>The fraction of rows whose true class is among the <see cref="TopKPredictionCount"/> highest scores
    /// (ties ordered by class index); 0 when top-K was not asked for.</summary>
    public double TopKAccuracy => TopKAccuracyForAllK.Count == 0 ? 0 : TopKAccuracyForAllK[^1];

    /// <summary>The K of <see cref="TopKAccuracy"/>; 0 when not asked for.</summary>
    public int TopKPredictionCount { get; }

    /// <summary>Top-k accuracy for k = 1 .. <see cref="TopKPredictionCount"/> (the first equals <see cref="MicroAccuracy"/>);
    /// empty when top-K was not asked for.</summary>
    public IReadOnlyList<double> TopKAccuracyForAllK { get; }

    /// <summary>Each class's mean log-loss over its own rows; 0 for a class absent from the data.</summary>
    public IReadOnlyList<double> PerClassLogLoss { get; }

    /// <summary>Counts of true versus predicted classes, with precision, recall and ML.NET's printed table.</summary>
    public ConfusionMatrix ConfusionMatrix { get; }

    /// <inheritdoc />
    public override string ToString() =>
        $"MicroAccuracy {MicroAccuracy:F4}, MacroAccuracy {MacroAccuracy:F4}, LogLoss {LogLoss:F4}, LogLossReduction {LogLossReduction:F4}" +
        (TopKPredictionCount > 0 ? $", Top-{TopKPredictionCount} accuracy {TopKAccuracy:F4}" : "");
}
