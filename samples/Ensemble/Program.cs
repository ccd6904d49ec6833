// Program.cs — trains voting-ensemble members with An et al.'s recipe inside an ML.NET pipeline
// (ml.MulticlassClassification.Trainers.VotingEnsemble) and reports every member and both votes with ML.NET's metrics
// (ml.MulticlassClassification.EvaluateVotingEnsemble).
//
//   dotnet run -c Release --project samples/Ensemble -- [--members M3:1,M5:2,M7:3] [--epochs 2] [--train-count N]
//                                                       [--out ensemble-run] [--mnist FOLDER]
//
// Each member is "architecture:seed". Every member writes a checkpoint after each epoch into --out, so a run that is
// stopped (Ctrl+C, crash, reboot) continues where it was when started again with the same arguments. Once all members
// are trained, fitting again only reloads them: that is how the hard vote is measured on the same members as the soft one.
using System.Diagnostics;
using System.Globalization;
using DigitsML;
using DigitsML.Networks;
using DigitsML.Trainers;
using Microsoft.ML;
using Microsoft.ML.Transforms;

var ml = new MLContext(seed: 1);
Settings settings;
IDataView train, test;
try
{
    settings = Settings.Parse(args);
    train = ml.Data.LoadFromIdx(settings.Mnist("train-images-idx3-ubyte"), settings.Mnist("train-labels-idx1-ubyte"));
    test = ml.Data.LoadFromIdx(settings.Mnist("t10k-images-idx3-ubyte"), settings.Mnist("t10k-labels-idx1-ubyte"));
}
catch (Exception e) when (e is ArgumentException or FileNotFoundException or DataFormatException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 2;
}
Directory.CreateDirectory(settings.OutputFolder);
if (settings.TrainCount > 0)
    train = ml.Data.TakeRows(train, settings.TrainCount);
Console.WriteLine($"{train.GetRowCount():N0} training images, {test.GetRowCount():N0} test images; {DigitsRuntime.Threads} threads, libtorch {DigitsRuntime.Version}");
var preset = TrainingPresets.AnEtAl;
Console.WriteLine($"recipe: TrainingPresets.AnEtAl, {settings.Epochs} epochs of batch {preset.BatchSize}, {preset.Optimizer}, {preset.Schedule}, " +
                  $"rotation ±{preset.Augmentation.MaxRotationDegrees}°, shift ±{preset.Augmentation.MaxTranslation:P0}, weight average {preset.WeightAverageDecay}");

var clock = Stopwatch.StartNew();
foreach (var voting in new[] { VotingKind.Soft, VotingKind.Hard })
{
    var members = settings.Members.Select(m => ml.MulticlassClassification.Trainers.Cnn(
        TrainingPresets.AnEtAl with
        {
            Architecture = m.Architecture,
            Seed = m.Seed,
            Epochs = settings.Epochs,
            CheckpointPath = settings.CheckpointOf(m),
            ResumeFromCheckpoint = File.Exists(settings.CheckpointOf(m)),
            Progress = new Progress(m.Name),
        })).ToArray();
    var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
        .Append(ml.MulticlassClassification.Trainers.VotingEnsemble(members, voting))
        .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
    using var model = pipeline.Fit(train);
    var ensemble = model.OfType<VotingEnsembleTransformer>().Single();
    var metrics = ml.MulticlassClassification.EvaluateVotingEnsemble(model, test);
    if (voting == VotingKind.Soft)
    {
        Console.WriteLine();
        Console.WriteLine("| member | epochs | seed | training time | test accuracy | test log-loss |");
        Console.WriteLine("|---|---|---|---|---|---|");
        for (int i = 0; i < settings.Members.Count; i++)
        {
            var cnn = (CnnTransformer)ensemble.Members[i];
            double seconds = cnn.History.Sum(e => e.Seconds);
            Console.WriteLine($"| {settings.Members[i].Name} | {cnn.History.Count} | {settings.Members[i].Seed} | {seconds / 60:F1} min | " +
                              $"{metrics.Members[i].MicroAccuracy:P2} | {metrics.Members[i].LogLoss:F4} |");
        }
    }
    Console.WriteLine($"| {voting.ToString().ToLowerInvariant()} vote of {settings.Members.Count} | | | | {metrics.Ensemble.MicroAccuracy:P2} | {metrics.Ensemble.LogLoss:F4} |");
    string path = Path.Combine(settings.OutputFolder, $"ensemble-{voting.ToString().ToLowerInvariant()}.zip");
    ml.Model.Save(model, train.Schema, path);
}
Console.WriteLine($"\nmodels in {Path.GetFullPath(settings.OutputFolder)}; whole run {clock.Elapsed.TotalMinutes:F1} min");
return 0;

/// <summary>Prints each finished epoch of one member.</summary>
internal sealed class Progress(string member) : IProgress<EpochProgress>
{
    public void Report(EpochProgress value) => Console.WriteLine($"  {member}: {value}");
}

/// <summary>One ensemble member: an architecture from <see cref="CnnArchitectures.All"/> and its seed.</summary>
internal sealed record Member(NetworkDefinition Architecture, int Seed)
{
    public string Name => $"{Architecture.Name}, seed {Seed}";
}

/// <summary>The command line, with its defaults.</summary>
internal sealed record Settings(IReadOnlyList<Member> Members, int Epochs, int TrainCount, string OutputFolder, string MnistFolder)
{
    public string Mnist(string name) =>
        new[] { name, name + ".gz" }.Select(n => Path.Combine(MnistFolder, n)).FirstOrDefault(File.Exists)
        ?? throw new FileNotFoundException($"{name}(.gz) is not in {MnistFolder}; pass --mnist FOLDER (build/setup.sh fills the default).");

    public string CheckpointOf(Member m) => Path.Combine(OutputFolder, $"{m.Architecture.Name}-seed{m.Seed}.checkpoint");

    /// <exception cref="ArgumentException">An argument is unknown or malformed; the message names it.</exception>
    public static Settings Parse(string[] args)
    {
        var values = new Dictionary<string, string>
        {
            ["--members"] = "M3:1,M5:2,M7:3",
            ["--epochs"] = "2",
            ["--train-count"] = "0",
            ["--out"] = "ensemble-run",
            ["--mnist"] = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "digitsml", "mnist"),
        };
        for (int i = 0; i < args.Length; i += 2)
        {
            if (!values.ContainsKey(args[i]) || i + 1 == args.Length)
                throw new ArgumentException($"Unknown argument or missing value: '{args[i]}'. Arguments: {string.Join(", ", values.Keys)}.");
            values[args[i]] = args[i + 1];
        }
        var members = values["--members"].Split(',').Select(ParseMember).ToArray();
        return new Settings(members, Number(values, "--epochs", 1), Number(values, "--train-count", 0), values["--out"], values["--mnist"]);
    }

    private static int Number(Dictionary<string, string> values, string name, int least) =>
        int.TryParse(values[name], NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= least ? n
            : throw new ArgumentException($"{name} takes a whole number of at least {least}, not '{values[name]}'.");

    private static Member ParseMember(string text)
    {
        var parts = text.Split(':');
        if (parts.Length != 2 || !CnnArchitectures.All.TryGetValue(parts[0], out var architecture) ||
            !int.TryParse(parts[1], CultureInfo.InvariantCulture, out int seed))
            throw new ArgumentException($"Member '{text}' is not ARCHITECTURE:SEED with one of {string.Join(", ", CnnArchitectures.All.Keys)}.");
        return new Member(architecture, seed);
    }
}
