// ConfusionMatrix.cs — counts of actual versus predicted classes, with precision, recall and ML.NET's printed table.
using System.Collections.Immutable;
using System.Globalization;
using System.Text;

namespace DigitsML.Data;

/// <summary>The confusion matrix of a multiclass evaluation, with ML.NET's members: <see cref="Counts"/> indexed
/// [actual][predicted], per-class precision and recall, and <see cref="GetFormattedConfusionTable"/> in ML.NET's layout.</summary>
public sealed class ConfusionMatrix
{
    private string? formatted;

    /// <summary>Builds a matrix from counts indexed [actual][predicted] and the class names in the same order.</summary>
    internal ConfusionMatrix(double[][] counts, IReadOnlyList<string> classNames)
    {
        int k = counts.Length;
        if (k == 0 || classNames.Count != k || counts.Any(r => r.Length != k))
            throw new ArgumentException($"A confusion matrix needs K × K counts and K class names; got {k} rows and {classNames.Count} names.");
        Counts = [.. counts.Select(r => (IReadOnlyList<double>)ImmutableArray.Create(r))];
        ClassNames = [.. classNames];
        var precision = new double[k];
        var recall = new double[k];
        for (int c = 0; c < k; c++)
        {
            double predicted = 0, actual = counts[c].Sum();
            for (int r = 0; r < k; r++)
                predicted += counts[r][c];
            precision[c] = predicted > 0 ? counts[c][c] / predicted : 0;
            recall[c] = actual > 0 ? counts[c][c] / actual : 0;
        }
        PerClassPrecision = [.. precision];
        PerClassRecall = [.. recall];
    }

    /// <summary>Of the rows predicted as each class, the fraction that truly are; 0 for a class never predicted.</summary>
    public IReadOnlyList<double> PerClassPrecision { get; }

    /// <summary>Of the rows of each class, the fraction predicted as it; 0 for a class absent from the data.</summary>
    public IReadOnlyList<double> PerClassRecall { get; }

    /// <summary>The counts: <c>Counts[actual][predicted]</c>, rows are the true classes, columns the predicted ones.</summary>
    public IReadOnlyList<IReadOnlyList<double>> Counts { get; }

    /// <summary>The number of classes.</summary>
    public int NumberOfClasses => Counts.Count;

    /// <summary>The class names (the score's slot names, or "0", "1", ... without them), in matrix order.</summary>
    internal ImmutableArray<string> ClassNames { get; }

    /// <summary>The number of rows of class <paramref name="actualClassIndicatorIndex"/> predicted as
    /// <paramref name="predictedClassIndicatorIndex"/> (note ML.NET's argument order: predicted first).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside 0 .. <see cref="NumberOfClasses"/> − 1.</exception>
    public double GetCountForClassPair(int predictedClassIndicatorIndex, int actualClassIndicatorIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(predictedClassIndicatorIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(predictedClassIndicatorIndex, NumberOfClasses);
        ArgumentOutOfRangeException.ThrowIfNegative(actualClassIndicatorIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(actualClassIndicatorIndex, NumberOfClasses);
        return Counts[actualClassIndicatorIndex][predictedClassIndicatorIndex];
    }

    /// <summary>The table as ML.NET prints it: a blank line, "Confusion table", a "PREDICTED ||" header of class names
    /// with a Recall column, one "TRUTH" row per class with its counts and recall, and a "Precision ||" footer.
    /// Columns are 5 characters wide (8 for two classes); when a class name is longer than that, columns are headed by
    /// class indices and rows show "index. name". Numbers use the invariant culture.</summary>
    public string GetFormattedConfusionTable() => formatted ??= Format();

    private string Format()
    {
        var culture = CultureInfo.InvariantCulture;
        int k = NumberOfClasses;
        int width = k == 2 ? 8 : 5;
        string rule = string.Concat(Enumerable.Repeat(k > 2 ? "========" : "===========", k));
        int longest = ClassNames.Max(n => n.Length);
        bool numbered = longest > width;
        int digits = numbered ? Math.Max(k - 1, 0).ToString(culture).Length : 0;
        int labelWidth = Math.Max(9, numbered ? longest + digits + 2 : longest);
        string pad = new(' ', labelWidth - 9);

        var text = new StringBuilder();
        text.AppendLine();
        text.AppendLine("Confusion table");
        text.Append(culture, $"          {pad}||").AppendLine(rule);
        text.Append(culture, $"PREDICTED {pad}||");
        for (int i = 0; i < k; i++)
            text.Append(' ').Append((numbered ? i.ToString(culture) : ClassNames[i]).PadLeft(width)).Append(" |");
        text.AppendLine(" Recall");
        text.Append(culture, $"TRUTH     {pad}||").AppendLine(rule);
        for (int i = 0; i < k; i++)
        {
            text.Append(numbered
                ? $"{i.ToString(culture).PadLeft(digits)}. {ClassNames[i].PadLeft(labelWidth - digits - 2)} ||"
                : $"{ClassNames[i].PadLeft(labelWidth)} ||");
            for (int j = 0; j < k; j++)
                text.Append(' ').Append(Counts[i][j].ToString("N0", culture).PadLeft(width)).Append(" |");
            text.Append(' ').Append(PerClassRecall[i].ToString("F4", culture).PadLeft(5));
            text.AppendLine();
        }
        text.Append(culture, $"          {pad}||").AppendLine(rule);
        text.Append(culture, $"Precision {pad}||");
        for (int i = 0; i < k; i++)
            text.Append(PerClassPrecision[i].ToString("N4", culture).PadLeft(width + 1)).Append(" |");
        text.AppendLine();
        return text.ToString();
    }
}
