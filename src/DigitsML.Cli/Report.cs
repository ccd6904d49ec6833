// Report.cs — prints ML.NET's multiclass metrics and confusion table, and a side-by-side table of several models.
using System.Globalization;

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

    /// <summary>One line per model: accuracy, macro accuracy, log-loss and top-2 accuracy (when computed).</summary>
    public static void PrintComparison(IReadOnlyList<(string Name, MulticlassClassificationMetrics Metrics)> rows)
    {
        int width = Math.Max("model".Length, rows.Max(r => r.Name.Length));
        Console.WriteLine($"{"model".PadRight(width)}  accuracy     macro  log-loss     top-2");
        foreach (var (name, m) in rows)
            Console.WriteLine($"{name.PadRight(width)}  {P(m.MicroAccuracy),8}  {P(m.MacroAccuracy),8}  {m.LogLoss,8:F4}  " +
                              $"{(m.TopKPredictionCount > 0 ? P(m.TopKAccuracy) : "-"),8}");
    }

    private static string P(double value) => value.ToString("P2", CultureInfo.InvariantCulture);
}
