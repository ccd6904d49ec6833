// Report.cs — prints accuracy, loss and the confusion table of an evaluation.
using System.Text;
using DigitsML.Engine;

namespace DigitsML.Cli;

internal static class Report
{
    public static void Print(EvaluationResult result, DigitDataset data)
    {
        int k = result.Probabilities!.Length / result.Count;
        var counts = new int[k, k];
        for (int i = 0; i < result.Count; i++)
        {
            var row = result.Probabilities.AsSpan(i * k, k);
            int best = 0;
            for (int j = 1; j < k; j++)
                if (row[j] > row[best]) best = j;
            counts[data.Labels[i], best]++;
        }
        Console.WriteLine($"test accuracy {result.Accuracy:P2} ({Math.Round(result.Accuracy * result.Count)} of {result.Count:N0}), log-loss {result.Loss:F4}");
        Console.WriteLine(ConfusionTable(counts));
    }

    private static string ConfusionTable(int[,] counts)
    {
        int k = counts.GetLength(0);
        var text = new StringBuilder();
        string rule = "          ||" + new string('=', 8 * k + 8);
        text.AppendLine("Confusion table");
        text.AppendLine(rule);
        text.Append("PREDICTED ||");
        for (int p = 0; p < k; p++)
            text.Append($" {p,5} |");
        text.AppendLine(" Recall");
        text.AppendLine("TRUTH     ||" + new string('=', 8 * k + 8));
        var columnTotals = new int[k];
        for (int a = 0; a < k; a++)
        {
            int rowTotal = 0;
            text.Append($" {a,8} ||");
            for (int p = 0; p < k; p++)
            {
                text.Append($" {counts[a, p],5} |");
                rowTotal += counts[a, p];
                columnTotals[p] += counts[a, p];
            }
            text.AppendLine($" {(rowTotal == 0 ? 0 : (double)counts[a, a] / rowTotal):F4}");
        }
        text.AppendLine(rule);
        text.Append("Precision ||");
        for (int p = 0; p < k; p++)
            text.Append($"{(columnTotals[p] == 0 ? 0 : (double)counts[p, p] / columnTotals[p]),6:F4} |");
        return text.ToString();
    }
}
