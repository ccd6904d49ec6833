// ReadCommand.cs — `digits read [--model MODEL] IMAGE...`: the handwritten number in each image (a row of digits, touching
// or not), each digit with its confidence; uncertain digits are shown as '?'. Without --model the line reader shipped in
// DigitsML.Scoring reads (named pretrained:reader@SHA in the output). Images in which no number is found
// (unreadable, undecodable, blank) are named on stderr, one line each; the others are still read, and the exit code is then 1.
using System.CommandLine;
using System.Globalization;

namespace DigitsML.Cli;

internal static class ReadCommand
{
    /// <summary>What `digits read --json` prints.</summary>
    public sealed record Document(string Model, float UncertainBelow, IReadOnlyList<ReadingJson> Readings, IReadOnlyList<PredictionInputs.Unreadable> Failed);

    /// <summary>One image's number: <c>Number</c> with uncertain digits as '?', <c>Text</c> every digit's best guess.</summary>
    public sealed record ReadingJson(string Input, string Number, string Text, bool Certain, IReadOnlyList<ReadDigit> Digits);

    public static Command Create()
    {
        var model = new Option<FileInfo?>("--model")
        {
            Description = "Model file: a digit classifier (`digits train`, `digits ensemble`), whose digits are found and cut out " +
                          "one by one, or a line reader (`digits train-reader`), which reads whole lines " +
                          "(default: the line reader shipped with DigitsML, named pretrained:reader in the output)",
        };
        var images = new Argument<string[]>("image")
        {
            Description = $"Image files of one handwritten number each ({string.Join(", ", PredictionInputs.ImageExtensions)}), " +
                          "or folders of them (searched recursively)",
            Arity = ArgumentArity.OneOrMore,
        };
        var defaults = new ReadingOptions();
        var uncertain = new Option<float>("--uncertain-below")
        {
            Description = $"Mark a digit uncertain ('?') when the model's probability of it is below this (default: {defaults.UncertainBelow.ToString(CultureInfo.InvariantCulture)}; 0 = never)",
            DefaultValueFactory = _ => defaults.UncertainBelow,
        };
        var ink = new Option<DigitInk>("--ink")
        {
            Description = "Auto (paper is what most of the image is), DarkOnLight (photos, scans) or LightOnDark (MNIST-style) (default: Auto)",
            DefaultValueFactory = _ => DigitInk.Auto,
        };
        var json = JsonOutput.CreateOption("each image's number, its digits with confidence, box and uncertain flag, the images that failed");
        var command = new Command("read", "Read whole handwritten numbers (a row of digits, touching or not) and mark the uncertain " +
                                          "digits with '?': with the line reader shipped with DigitsML unless --model names another " +
                                          "model (a line reader, or a classifier whose digits are found and read one by one)");
        command.Arguments.Add(images);
        foreach (Option o in new Option[] { model, uncertain, ink, json })
            command.Options.Add(o);
        command.SetAction(r => Run(new MLContext(), r.GetValue(model), r.GetValue(images)!,
            new ReadingOptions { UncertainBelow = r.GetValue(uncertain), Ink = r.GetValue(ink) }, r.GetValue(json)));
        return command;
    }

    private static int Run(MLContext ml, FileInfo? modelFile, string[] arguments, ReadingOptions options, bool json)
    {
        if (!(options.UncertainBelow is >= 0 and <= 1))
            throw new ArgumentException($"--uncertain-below takes a probability in [0, 1], not {options.UncertainBelow.ToString(CultureInfo.InvariantCulture)}");
        using var model = modelFile is null ? LoadedModel.LoadShipped(ml, PretrainedModels.Reader) : LoadedModel.Load(ml, modelFile);
        var reader = new NumberReader(model.Transformer, options);
        var failures = new List<PredictionInputs.Unreadable>();
        var readings = new List<ReadingJson>();
        foreach (string path in ImagePaths(arguments, failures))
        {
            var reading = reader.ReadFile(path);
            if (reading.Reason is { } reason)
                failures.Add(new PredictionInputs.Unreadable(path, reason.StartsWith(path, StringComparison.Ordinal) ? reason : $"{path}: {reason}"));
            else
                readings.Add(new ReadingJson(path, reading.MarkedText, reading.Text, reading.IsCertain, reading.Digits));
        }
        foreach (var failure in failures)
            Failure.Line(failure.Message);
        if (json)
            JsonOutput.Write(new Document(model.Path, options.UncertainBelow, readings, failures));
        else
        {
            if (model.IsShipped && readings.Count > 0)
                ShippedModel.PrintUsed(model.Path);
            Print(readings);
        }
        return failures.Count == 0 ? 0 : Failure.BadInput;
    }

    /// <summary>The image files named or found in the folders named (recursively, in ordinal order); a missing input or a
    /// folder without images is a failure.</summary>
    private static List<string> ImagePaths(string[] arguments, List<PredictionInputs.Unreadable> failures)
    {
        var paths = new List<string>();
        foreach (string input in arguments)
        {
            if (Directory.Exists(input))
            {
                var found = Directory.EnumerateFiles(input, "*", SearchOption.AllDirectories)
                    .Where(f => PredictionInputs.ImageExtensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
                    .Order(StringComparer.Ordinal).ToList();
                if (found.Count == 0)
                    failures.Add(new PredictionInputs.Unreadable(input, $"{input}: no image files ({string.Join(", ", PredictionInputs.ImageExtensions)}) in this folder or below"));
                paths.AddRange(found);
            }
            else if (File.Exists(input))
                paths.Add(input);
            else
                failures.Add(new PredictionInputs.Unreadable(input, $"{input}: no such file or folder"));
        }
        return paths;
    }

    /// <summary>One aligned line per image: the number (uncertain digits as '?') and each digit's confidence.</summary>
    private static void Print(List<ReadingJson> readings)
    {
        if (readings.Count == 0)
            return;
        int input = Math.Max("image".Length, readings.Max(r => r.Input.Length));
        int number = Math.Max("number".Length, readings.Max(r => r.Number.Length));
        Console.WriteLine($"{"image".PadRight(input)}  {"number".PadRight(number)}  digits (probability; ? below the threshold)");
        foreach (var r in readings)
        {
            var digits = r.Digits.Select(d => $"{d.Value}{(d.Uncertain ? "?" : "")} {d.Confidence.ToString("P1", CultureInfo.InvariantCulture)}");
            Console.WriteLine($"{r.Input.PadRight(input)}  {r.Number.PadRight(number)}  {string.Join(", ", digits)}");
        }
        int certain = readings.Count(r => r.Certain);
        Console.WriteLine($"{readings.Count} number(s) read, {certain} with every digit certain");
    }
}
