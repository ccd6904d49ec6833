// MetricsJson.cs — a multiclass evaluation as the JSON documents of --json give it.

namespace DigitsML.Cli;

/// <summary>Metrics, per-class figures and the confusion matrix (counts[truth][predicted]) of one evaluation.</summary>
internal sealed record MetricsJson(long Images, double MicroAccuracy, double MacroAccuracy, double LogLoss, double LogLossReduction,
    int TopKPredictionCount, double? TopKAccuracy, IReadOnlyList<MetricsJson.ClassJson> PerClass, MetricsJson.ConfusionJson ConfusionMatrix)
{
    /// <summary>One class: its name, test images, precision, recall and mean log-loss.</summary>
    public sealed record ClassJson(string Class, long Images, double Precision, double Recall, double LogLoss);

    /// <summary>The class names and the counts, rows the truth and columns the prediction.</summary>
    public sealed record ConfusionJson(IReadOnlyList<string> Classes, IReadOnlyList<IReadOnlyList<long>> Counts);

    /// <summary>The document for <paramref name="metrics"/>, whose classes are named by <paramref name="classes"/>.</summary>
    public static MetricsJson From(MulticlassClassificationMetrics metrics, IReadOnlyList<string> classes)
    {
        var confusion = metrics.ConfusionMatrix;
        IReadOnlyList<IReadOnlyList<long>> counts = [.. confusion.Counts.Select(row => (IReadOnlyList<long>)[.. row.Select(c => (long)c)])];
        var perClass = classes.Select((name, c) => new ClassJson(name, counts[c].Sum(), confusion.PerClassPrecision[c],
            confusion.PerClassRecall[c], metrics.PerClassLogLoss[c])).ToList();
        return new MetricsJson(counts.Sum(row => row.Sum()), metrics.MicroAccuracy, metrics.MacroAccuracy, metrics.LogLoss,
            metrics.LogLossReduction, metrics.TopKPredictionCount, metrics.TopKPredictionCount > 0 ? metrics.TopKAccuracy : null,
            perClass, new ConfusionJson(classes, counts));
    }
}
