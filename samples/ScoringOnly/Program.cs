// Program.cs — scores a saved DigitsML model with DigitsML.Scoring and Microsoft.ML only: no TorchSharp, no libtorch.
//
//   dotnet run --project samples/ScoringOnly -- MODEL.zip --idx IMAGES LABELS [--predictions FILE] [--show N]
//   dotnet run --project samples/ScoringOnly -- MODEL.zip --images FOLDER | FILE... [--ink auto|dark-on-light|light-on-dark]
//                                                         [--predictions FILE] [--show N]
//
// MODEL.zip is what ml.Model.Save wrote for a DigitsML pipeline that reads Label and Features (issue 11's program,
// samples/QuickStart). --idx scores MNIST-style IDX files (plain or .gz). --images scores photos of single digits through
// LoadImages and NormalizeDigit: a folder holds one sub-folder per digit, whose name is the label; files given one by one
// have no label. Labelled data gets ML.NET's metrics. --show prints the first N predictions (default 10); --predictions
// writes every one as a tab-separated line: row, source, label, predicted label and each class's probability (written so
// that it reads back as the same float). Errors are one line on stderr and exit status 2.
using System.Diagnostics;
using System.Globalization;
using DigitsML;
using Microsoft.ML;
using Microsoft.ML.Data;

try
{
    return Run(Settings.Parse(args));
}
catch (Exception e) when (e is ArgumentException or IOException or DataFormatException or InvalidOperationException or FormatException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 2;
}

static int Run(Settings settings)
{
    var clock = Stopwatch.StartNew();
    var ml = new MLContext();
    // ml.Model.Load with the file named in its errors (and ML.NET's rare temp-file failure retried).
    ITransformer model = ml.Model.LoadDigitsModel(settings.Model, out DataViewSchema inputSchema);
    Console.WriteLine($"model {settings.Model}: input columns {string.Join(", ", inputSchema.Select(c => c.Name))}");

    var (input, labelled) = settings.Idx is { } idx ? (ml.Data.LoadFromIdx(idx.Images, idx.Labels), true) : Photos(ml, settings);
    // The model maps Label to a key in place: keep the digit itself for printing.
    input = ml.Transforms.CopyColumns(nameof(Scored.TrueLabel), "Label").Fit(input).Transform(input);
    IDataView scored = model.Transform(input);
    if (scored.Schema.GetColumnOrNull("PredictedLabel")?.Type is KeyDataViewType)
        scored = ml.Transforms.Conversion.MapKeyToValue("PredictedLabel").Fit(scored).Transform(scored);

    var rows = ml.Data.CreateEnumerable<Scored>(scored, reuseRowObject: false, ignoreMissingColumns: true).ToList();
    Console.WriteLine($"scored {rows.Count:N0} images in {clock.Elapsed.TotalSeconds:F1} s");
    for (int i = 0; i < Math.Min(settings.Show, rows.Count); i++)
    {
        var r = rows[i];
        string source = r.ImagePath is { Length: > 0 } path ? Path.GetRelativePath(Environment.CurrentDirectory, path) : $"row {i}";
        string label = float.IsNaN(r.TrueLabel) ? "" : $"label {r.TrueLabel}, ";
        Console.WriteLine($"  {source}: {label}predicted {r.PredictedLabel} (p = {r.Score.Max():P1})");
    }
    if (settings.Predictions is { } file)
        WritePredictions(file, rows);

    if (labelled)
    {
        int correct = rows.Count(r => r.PredictedLabel == r.TrueLabel);
        var metrics = ml.MulticlassClassification.Evaluate(scored);
        Console.WriteLine($"accuracy {(double)correct / rows.Count:P2} ({correct:N0} of {rows.Count:N0}); " +
                          $"ML.NET micro-accuracy {metrics.MicroAccuracy:P2}, macro-accuracy {metrics.MacroAccuracy:P2}, log-loss {metrics.LogLoss:F4}");
    }
    return 0;
}

// Photos: a folder of one sub-folder per digit (labelled), or single files (no label), checked before LoadImages reads
// them, so that a bad file is named.
static (IDataView Data, bool Labelled) Photos(MLContext ml, Settings settings)
{
    bool folder = settings.Images.Count == 1 && Directory.Exists(settings.Images[0]);
    foreach (var path in settings.Images.Where(p => !folder && !File.Exists(p)))
        throw new FileNotFoundException($"The image file '{path}' does not exist.");
    IDataView listed = folder
        ? ml.Data.LoadFromImageFolder(settings.Images[0])
        : ml.Data.LoadFromEnumerable(settings.Images.Select(p => new Photo { Label = float.NaN, ImagePath = Path.GetFullPath(p) }).ToList());
    listed = ml.Data.CheckImageFiles(listed);
    var read = ml.Transforms.LoadImages("Image", imageFolder: null, inputColumnName: "ImagePath")
        .Append(ml.Transforms.NormalizeDigit("Features", "Image", settings.Ink))
        .Fit(listed);
    return (read.Transform(listed), folder);
}

static void WritePredictions(string file, List<Scored> rows)
{
    using var writer = new StreamWriter(file);
    int classes = rows.Count > 0 ? rows[0].Score.Length : 0;
    writer.WriteLine(string.Join('\t', new[] { "row", "source", "label", "predicted" }.Concat(Enumerable.Range(0, classes).Select(k => $"p{k}"))));
    for (int i = 0; i < rows.Count; i++)
    {
        var r = rows[i];
        var fields = new[] { i.ToString(CultureInfo.InvariantCulture), r.ImagePath ?? "", Text(r.TrueLabel), Text(r.PredictedLabel) }
            .Concat(r.Score.Select(Text));
        writer.WriteLine(string.Join('\t', fields));
    }
    Console.WriteLine($"predictions written to {file}");

    static string Text(float value) => value.ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>A photo given as a file: its label is unknown.</summary>
internal sealed class Photo
{
    public float Label { get; set; }
    public string ImagePath { get; set; } = "";
}

/// <summary>What the program reads of a scored row (ImagePath only for photos).</summary>
internal sealed class Scored
{
    public float TrueLabel { get; set; }
    public string? ImagePath { get; set; }
    public float PredictedLabel { get; set; }
    public float[] Score { get; set; } = [];
}

/// <summary>The command line, with its defaults.</summary>
internal sealed record Settings(string Model, (string Images, string Labels)? Idx, IReadOnlyList<string> Images, DigitInk Ink,
    string? Predictions, int Show)
{
    private const string Usage = "usage: ScoringOnly MODEL.zip (--idx IMAGES LABELS | --images FOLDER|FILE...) " +
                                 "[--ink auto|dark-on-light|light-on-dark] [--predictions FILE] [--show N]";

    /// <exception cref="ArgumentException">An argument is unknown, missing or malformed; the message names it.</exception>
    public static Settings Parse(string[] args)
    {
        if (args.Length == 0 || args[0].StartsWith("--", StringComparison.Ordinal))
            throw new ArgumentException($"the model file comes first; {Usage}");
        (string, string)? idx = null;
        var images = new List<string>();
        var ink = DigitInk.Auto;
        string? predictions = null;
        int show = 10;
        for (int i = 1; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal)
                ? args[++i] : throw new ArgumentException($"{args[i]} needs a value; {Usage}");
            switch (args[i])
            {
                case "--idx":
                    idx = (Value(), Value());
                    break;
                case "--images":
                    while (i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
                        images.Add(args[++i]);
                    if (images.Count == 0)
                        throw new ArgumentException($"--images needs a folder or files; {Usage}");
                    break;
                case "--ink":
                    string name = Value();
                    ink = name switch
                    {
                        "auto" => DigitInk.Auto,
                        "dark-on-light" => DigitInk.DarkOnLight,
                        "light-on-dark" => DigitInk.LightOnDark,
                        _ => throw new ArgumentException($"--ink takes auto, dark-on-light or light-on-dark, not '{name}'"),
                    };
                    break;
                case "--predictions":
                    predictions = Value();
                    break;
                case "--show":
                    string count = Value();
                    if (!int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out show))
                        throw new ArgumentException($"--show takes a whole number, not '{count}'");
                    break;
                default:
                    throw new ArgumentException($"unknown argument '{args[i]}'; {Usage}");
            }
        }
        if ((idx is null) == (images.Count == 0))
            throw new ArgumentException($"give either --idx or --images; {Usage}");
        return new Settings(args[0], idx, images, ink, predictions, show);
    }
}
