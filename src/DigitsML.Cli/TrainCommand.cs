// TrainCommand.cs — `digits train`: checks the recipe and the output paths, fits MapValueToKey → Cnn → MapKeyToValue on
// IDX data, evaluates it on the test set, saves the model file and, when asked, writes the HTML report.
using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Nodes;
using DigitsML.Engine;
using DigitsML.Networks;
using DigitsML.Reporting;
using DigitsML.Trainers;

namespace DigitsML.Cli;

internal static class TrainCommand
{
    /// <summary>What `digits train --json` prints: the recipe as <see cref="CnnTrainer.Options.ToJson"/> writes it (the
    /// checkpoint's identity), beside the preset it started from and the networks trained (for an ensemble: the
    /// parameters of all its networks, and their epochs one network after another).</summary>
    private sealed record Document(string Model, string? Report, string Device, long TrainImages, long Parameters, string Preset,
        int Members, JsonNode Recipe, IReadOnlyList<EpochProgress> Epochs, double TrainingSeconds, MetricsJson Metrics);

    /// <summary>The command's options besides the data, recipe and device ones.</summary>
    private sealed class Outputs
    {
        public Option<FileInfo> Model { get; } = new("--out") { Description = "Model file to write (default: digits-model.zip)", DefaultValueFactory = _ => new FileInfo("digits-model.zip") };
        public Option<FileInfo?> Report { get; } = new("--report") { Description = "Also write the HTML report of the trained model on the test set here (default: none)" };
        public Option<FileInfo?> Checkpoint { get; } = new("--checkpoint")
        {
            Description = "Write a checkpoint here after every epoch, atomically; Ctrl+C keeps the last one (default: none)",
        };
        public Option<bool> Resume { get; } = new("--resume")
        {
            Description = "Continue from the --checkpoint file with the same options instead of starting afresh (default: off)",
        };
        public Option<bool> Json { get; } = JsonOutput.CreateOption("model path, recipe, epoch history, test metrics, per-class figures and confusion matrix");

        public void AddTo(Command command)
        {
            Resume.Validators.Add(result =>
            {
                if (result.GetValue(Resume) && result.GetValue(Checkpoint) is null)
                    result.AddError("--resume needs --checkpoint PATH");
            });
            foreach (Option o in new Option[] { Model, Report, Checkpoint, Resume, Json })
                command.Options.Add(o);
        }
    }

    public static Command Create()
    {
        var data = new DataOptions();
        var recipe = new RecipeOptions();
        var device = new DeviceOption();
        var outputs = new Outputs();
        var command = new Command("train", "Train a digit network, evaluate it on the test set and save the model");
        data.AddTrainingTo(command);
        recipe.AddTo(command);
        device.AddTo(command);
        outputs.AddTo(command);
        command.SetAction((r, cancel) => Task.Run(() => Run(r, data, recipe, device, outputs, cancel), cancel));
        return command;
    }

    private static int Run(ParseResult r, DataOptions data, RecipeOptions recipeOptions, DeviceOption device, Outputs outputs, CancellationToken cancel)
    {
        var recipe = recipeOptions.Resolve(r);
        bool json = r.GetValue(outputs.Json);
        string path = r.GetValue(outputs.Model)!.FullName;
        string? checkpoint = r.GetValue(outputs.Checkpoint)?.FullName;
        string? report = r.GetValue(outputs.Report)?.FullName;
        // Every file the run will write, checked before hours of training can be lost to a missing or read-only folder.
        OutputPaths.RequireWritable(path, "--out");
        if (checkpoint is not null)
            OutputPaths.RequireWritable(checkpoint, "--checkpoint");
        if (report is not null)
            OutputPaths.RequireWritable(report, "--report");
        // The device (and --threads) first: a missing GPU fails before any data is read, and the header states the threads.
        var onDevice = device.Apply(r, recipe.Options);
        var display = TrainingDisplay.Create(json);
        var options = onDevice with
        {
            Log = display.Log,
            Progress = display,
            BatchProgress = display,
            CancellationToken = cancel,
            CheckpointPath = checkpoint,
            ResumeFromCheckpoint = r.GetValue(outputs.Resume),
        };
        var ml = new MLContext(recipe.Options.Seed);
        // Made before the data is read: the trainer checks the recipe (CnnTrainer.Options.Validate) when created.
        IEstimator<DigitsModel> trainer = recipe.Members == 1
            ? ml.MulticlassClassification.Trainers.Cnn(options)
            : ml.MulticlassClassification.Trainers.VotingEnsemble(options, recipe.Members);
        IDataView train = data.LoadTrain(ml, r);
        if (r.GetValue(recipeOptions.TrainCount) is > 0 and var limit)
            train = ml.Data.TakeRows(train, limit);
        IDataView test = data.LoadTest(ml, r);
        long trainRows = train.GetRowCount() ?? 0;
        if (!json)
            PrintHeader(recipe, trainRows, test.GetRowCount() ?? 0);

        var clock = Stopwatch.StartNew();
        using var model = display.Run(() => Fit(ml, trainer, train, checkpoint));
        double seconds = clock.Elapsed.TotalSeconds;
        var networks = model.OfType<DigitsModel>().Single().Networks.ToList();
        var cnn = networks[0];
        if (!json)
            Console.WriteLine($"trained on {cnn.Device} in {seconds:F1} s{(networks.Count > 1 ? $" ({networks.Count} networks)" : "")}");

        var evaluation = Evaluation.Of(ml, model, test);
        ModelFile.Save(ml, model, train.Schema, path);
        if (report is not null)
            ModelReport.Write(model, test, report);
        if (json)
        {
            JsonOutput.Write(new Document(path, report, cnn.Device.ToString(), trainRows, networks.Sum(n => n.Summary.TotalParameters),
                recipe.Preset, recipe.Members, JsonNode.Parse(recipe.Options.ToJson())!, [.. networks.SelectMany(n => n.History)],
                seconds, evaluation.ToJson()));
            return 0;
        }
        Report.Print(evaluation.Metrics);
        Console.WriteLine($"model saved to {path}");
        if (report is not null)
            Console.WriteLine($"report written to {report}");
        return 0;
    }

    private static void PrintHeader(Recipe recipe, long trainRows, long testRows)
    {
        Console.WriteLine(recipe.Options.Architecture.Summarize());
        Console.WriteLine($"training on {trainRows:N0} images, testing on {testRows:N0}; {DigitsRuntime.Threads} threads, libtorch {DigitsRuntime.Version}");
        foreach (var line in recipe.Describe())
            Console.WriteLine(line);
    }

    private static TransformerChain<KeyToValueMappingTransformer> Fit(MLContext ml, IEstimator<DigitsModel> trainer, IDataView train,
        string? checkpoint)
    {
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
            .Append(trainer)
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
        try
        {
            return pipeline.Fit(train);
        }
        catch (OperationCanceledException) when (checkpoint is not null && File.Exists(checkpoint))
        {
            // Ctrl+C: the checkpoint holds the last finished epoch; the caller reports "cancelled" and exits 130.
            Console.Error.WriteLine($"checkpoint of the last finished epoch kept at {checkpoint}; continue with --checkpoint {checkpoint} --resume");
            throw;
        }
    }
}
