// PredictionTable.cs — `digits predict`'s results: one aligned line per input (digit, probability, runner-up) and how many
// were right, or the same as one JSON document.
using System.Globalization;

namespace DigitsML.Cli;

internal sealed class PredictionTable(string model, IReadOnlyList<string> classes)
{
    /// <summary>One input's answer, and the class it should be when known.</summary>
    public sealed record Row(string Input, DigitScores Scores, string? Truth);

    /// <summary>One input in the JSON document; <c>Scores</c> follow the document's <c>Classes</c>.</summary>
    public sealed record RowJson(string Input, string Digit, float Probability, string? RunnerUp, float? RunnerUpProbability,
        string? Label, bool? Right, IReadOnlyList<float> Scores);

    /// <summary>What `digits predict --json` prints.</summary>
    public sealed record Document(string Model, IReadOnlyList<string> Classes, IReadOnlyList<RowJson> Predictions, int Labelled, int Right,
        IReadOnlyList<PredictionInputs.Unreadable> Failed);

    public List<Row> Rows { get; } = [];

    private int Labelled => Rows.Count(r => r.Truth is not null);

    private int Right => Rows.Count(r => r.Truth is not null && r.Truth == r.Scores.Class);

    /// <summary>Prints the header, one line per row and, when some inputs are labelled, how many were right.</summary>
    public void Print()
    {
        if (Rows.Count == 0)
            return;
        bool labelled = Labelled > 0;
        int input = Math.Max("input".Length, Rows.Max(r => r.Input.Length));
        int digit = Math.Max("digit".Length, classes.Max(c => c.Length));
        int runnerUp = Math.Max("runner-up".Length, digit);
        Console.WriteLine($"{"input".PadRight(input)}  {"digit".PadLeft(digit)}  probability  {"runner-up".PadLeft(runnerUp)}  probability" +
                          (labelled ? "  label" : ""));
        foreach (var row in Rows)
        {
            var s = row.Scores;
            Console.WriteLine($"{row.Input.PadRight(input)}  {s.Class.PadLeft(digit)}  {Percent(s.Probability),11}  " +
                              $"{(s.RunnerUp ?? "-").PadLeft(runnerUp)}  {(s.RunnerUp is null ? "-" : Percent(s.RunnerUpProbability)),11}" +
                              (labelled ? $"  {row.Truth ?? "-",5}" : ""));
        }
        if (labelled)
            Console.WriteLine($"{Right} of {Labelled} labelled images right ({Percent((double)Right / Labelled)})");
    }

    public Document ToJson(IReadOnlyList<PredictionInputs.Unreadable> failed) =>
        new(model, classes, [.. Rows.Select(ToJson)], Labelled, Right, failed);

    private static RowJson ToJson(Row row)
    {
        var s = row.Scores;
        return new RowJson(row.Input, s.Class, s.Probability, s.RunnerUp, s.RunnerUp is null ? null : s.RunnerUpProbability,
            row.Truth, row.Truth is null ? null : row.Truth == s.Class, s.Probabilities);
    }

    private static string Percent(double value) => value.ToString("P2", CultureInfo.InvariantCulture);
}
