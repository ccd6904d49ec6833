// Report.cs — prints ML.NET's multiclass metrics and confusion table.
using DigitsML.Data;

namespace DigitsML.Cli;

internal static class Report
{
    public static void Print(MulticlassClassificationMetrics metrics)
    {
        long total = metrics.ConfusionMatrix.Counts.Sum(row => (long)row.Sum());
        Console.WriteLine($"test accuracy {metrics.MicroAccuracy:P2} of {total:N0} images (macro {metrics.MacroAccuracy:P2}), " +
                          $"log-loss {metrics.LogLoss:F4}, log-loss reduction {metrics.LogLossReduction:F4}" +
                          (metrics.TopKPredictionCount > 0 ? $", top-{metrics.TopKPredictionCount} accuracy {metrics.TopKAccuracy:P2}" : ""));
        Console.WriteLine(metrics.ConfusionMatrix.GetFormattedConfusionTable());
    }
}
