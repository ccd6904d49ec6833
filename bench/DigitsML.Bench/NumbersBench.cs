// NumbersBench.cs — the DigitsML side of build/bench.sh numbers: a saved model reading the multi-digit test set of
// bench/numbers/make_numbers.py with NumberReader, whole-number and per-digit accuracy.
using System.Diagnostics;
using DigitsML;
using Microsoft.ML;

/// <summary>The <c>--numbers</c> measurement of <c>build/bench.sh</c>.</summary>
internal static class NumbersBench
{
    /// <summary>One image of the set: its file, the number written, and its kind ("paper" or "black").</summary>
    internal sealed record Entry(string File, string Number, string Kind);

    /// <summary>The tally of a set of readings.</summary>
    internal sealed class Tally
    {
        public int Numbers, NumbersRight, CountRight, Digits, DigitErrors, Certain, CertainRight, Uncertain;

        /// <summary>Whole numbers read right (every digit, nothing more or less).</summary>
        public double NumberAccuracy => Numbers == 0 ? 0 : (double)NumbersRight / Numbers;

        /// <summary>1 − the edit distance between what was read and the truth, over the truth's digits (character accuracy:
        /// a digit missed, added or misread costs one).</summary>
        public double DigitAccuracy => Digits == 0 ? 0 : 1 - (double)DigitErrors / Digits;

        public void Add(string truth, NumberReading reading)
        {
            Numbers++;
            Digits += truth.Length;
            DigitErrors += reading.DigitErrors(truth);
            NumbersRight += reading.Text == truth ? 1 : 0;
            CountRight += reading.Digits.Count == truth.Length ? 1 : 0;
            Uncertain += reading.Digits.Count(d => d.Uncertain);
            if (reading.IsCertain)
            {
                Certain++;
                CertainRight += reading.Text == truth ? 1 : 0;
            }
        }

        /// <summary>The line build/bench.sh reads.</summary>
        public string Line(string set) =>
            FormattableString.Invariant($"numbers_set={set} numbers={Numbers} numbers_right={NumbersRight} number_accuracy={NumberAccuracy:F4} ") +
            FormattableString.Invariant($"digits={Digits} digit_accuracy={DigitAccuracy:F4} count_right={CountRight} uncertain_digits={Uncertain} ") +
            FormattableString.Invariant($"certain_numbers={Certain} certain_right={CertainRight}");
    }

    /// <summary>Loads the model, reads every image of <paramref name="numbersDir"/> (the first <paramref name="count"/>
    /// when above 0) and prints a line per kind and one for all, then the time per image.</summary>
    internal static int Run(string modelPath, string numbersDir, int count, float uncertainBelow, bool showErrors = false)
    {
        if (!File.Exists(modelPath))
        {
            Console.Error.WriteLine($"DigitsML.Bench: no model file at '{Path.GetFullPath(modelPath)}' (build/run.sh writes artifacts/digits-model.zip)");
            return 1;
        }
        var ml = new MLContext(seed: 1);
        using var model = (IDisposable)ml.Model.Load(modelPath, out _);
        var entries = Load(numbersDir);
        if (count > 0)
            entries = [.. entries.Take(count)];
        var reader = new NumberReader((ITransformer)model, new ReadingOptions { UncertainBelow = uncertainBelow });
        Console.WriteLine($"model={Path.GetFullPath(modelPath)}");
        var clock = Stopwatch.StartNew();
        foreach (var line in Evaluate(reader, numbersDir, entries, showErrors))
            Console.WriteLine(line);
        Console.WriteLine(FormattableString.Invariant($"numbers_time images={entries.Count} ms_per_image={clock.Elapsed.TotalMilliseconds / Math.Max(1, entries.Count):F1}"));
        return 0;
    }

    /// <summary>The lines of one tally per kind, in the order kinds first appear, then "all"; before them, with
    /// <paramref name="showErrors"/>, a "misread" line for each number not read right.</summary>
    internal static IEnumerable<string> Evaluate(NumberReader reader, string numbersDir, IReadOnlyList<Entry> entries, bool showErrors = false)
    {
        var all = new Tally();
        var kinds = new Dictionary<string, Tally>();
        foreach (var entry in entries)
        {
            var reading = reader.ReadFile(Path.Combine(numbersDir, entry.File));
            all.Add(entry.Number, reading);
            if (showErrors && reading.Text != entry.Number)
                yield return $"misread file={entry.File} kind={entry.Kind} number={entry.Number} read={(reading.Text.Length > 0 ? reading.Text : "-")} marked={(reading.MarkedText.Length > 0 ? reading.MarkedText : "-")}";
            if (!kinds.TryGetValue(entry.Kind, out var tally))
                kinds[entry.Kind] = tally = new Tally();
            tally.Add(entry.Number, reading);
        }
        foreach (var (kind, tally) in kinds)
            yield return tally.Line(kind);
        yield return all.Line("all");
    }

    /// <summary>The set's labels.tsv: file, number, kind, source indices.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder has no labels.tsv.</exception>
    internal static List<Entry> Load(string numbersDir)
    {
        string labels = Path.Combine(numbersDir, "labels.tsv");
        if (!File.Exists(labels))
            throw new DirectoryNotFoundException($"'{numbersDir}' is not a numbers set: it has no labels.tsv (bench/numbers/make_numbers.py makes it)");
        return [.. File.ReadLines(labels).Where(l => l.Length > 0).Select(l => l.Split('\t')).Select(f => f.Length >= 3
            ? new Entry(f[0], f[1], f[2])
            : throw new DataFormatException(labels, $"a line has {f.Length} fields, not file, number, kind and indices"))];
    }
}
