// TrainCommand.cs — `digits train`: fits MapValueToKey → Cnn → MapKeyToValue on IDX data, evaluates it on
// the test set and saves the model file.
using System.CommandLine;
using System.Diagnostics;
using DigitsML.Engine;
using DigitsML.Trainers;
using DigitsML.Transforms;

namespace DigitsML.Cli;

internal static class TrainCommand
{
    public static Command Create()
    {
        var data = new DataOptions();
        var recipe = new RecipeOptions();
        var device = new DeviceOption();
        var output = new Option<FileInfo>("--out") { Description = "Model file to write (default: digits-model.zip)", DefaultValueFactory = _ => new FileInfo("digits-model.zip") };
        var checkpoint = new Option<FileInfo?>("--checkpoint")
        {
            Description = "Write a checkpoint here after every epoch, atomically; Ctrl+C keeps the last one (default: none)",
        };
        var resume = new Option<bool>("--resume")
        {
            Description = "Continue from the --checkpoint file with the same options instead of starting afresh (default: off)",
        };
        resume.Validators.Add(result =>
        {
            if (result.GetValue(resume) && result.GetValue(checkpoint) is null)
                result.AddError("--resume needs --checkpoint PATH.");
        });
        var command = new Command("train", "Train a digit network, evaluate it on the test set and save the model");
        data.AddTrainingTo(command);
        recipe.AddTo(command);
        device.AddTo(command);
        command.Options.Add(output);
        command.Options.Add(checkpoint);
        command.Options.Add(resume);
        command.SetAction((r, cancel) => Task.Run(() => Run(r, data, recipe, device, r.GetValue(output)!,
            new Resumption(r.GetValue(checkpoint)?.FullName, r.GetValue(resume)), cancel), cancel));
        return command;
    }

    /// <summary>The checkpoint file (null for none) and whether to continue from it.</summary>
    private sealed record Resumption(string? CheckpointPath, bool Resume);

    private static int Run(ParseResult r, DataOptions data, RecipeOptions recipe, DeviceOption device, FileInfo output,
        Resumption resumption, CancellationToken cancel)
    {
        var definition = recipe.ResolveArchitecture(r);
        var training = recipe.Resolve(r);
        var ml = device.CreateContext(r, training.Seed);
        IDataView train = data.LoadTrain(ml, r);
        if (r.GetValue(recipe.TrainCount) is > 0 and var limit)
            train = ml.Data.TakeRows(train, limit);
        IDataView test = data.LoadTest(ml, r);
        long trainRows = train.GetRowCount() ?? 0;
        Console.WriteLine(definition.Summarize());
        Console.WriteLine($"training on {trainRows:N0} images, testing on {test.GetRowCount():N0}; {TorchRuntime.Threads} threads, libtorch {TorchRuntime.Version}");
        Console.WriteLine($"recipe: {training.Epochs} epochs, batch {training.BatchSize}, {training.Optimizer}, {training.Schedule}, seed {training.Seed}");

        var trainer = ml.MulticlassClassification.Trainers.Cnn(new CnnTrainer.Options
        {
            Architecture = definition,
            Epochs = training.Epochs,
            BatchSize = training.BatchSize,
            Optimizer = training.Optimizer,
            Schedule = training.Schedule,
            LabelSmoothing = training.LabelSmoothing,
            Seed = training.Seed,
            Progress = new ConsoleProgress(trainRows),
            CancellationToken = cancel,
            CheckpointPath = resumption.CheckpointPath,
            ResumeFromCheckpoint = resumption.Resume,
        });
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: KeyOrdinality.ByValue)
            .Append(trainer)
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));

        var clock = Stopwatch.StartNew();
        TransformerChain<KeyToValueMappingTransformer> fitted;
        try
        {
            fitted = pipeline.Fit(train);
        }
        catch (OperationCanceledException) when (resumption.CheckpointPath is { } kept && File.Exists(kept))
        {
            // Ctrl+C: the checkpoint holds the last finished epoch; the caller reports "cancelled" and exits 130.
            Console.Error.WriteLine($"checkpoint of the last finished epoch kept at {kept}; continue with --checkpoint {kept} --resume");
            throw;
        }
        using var model = fitted;
        double seconds = clock.Elapsed.TotalSeconds;
        var cnn = model.OfType<CnnTransformer>().Single();
        Console.WriteLine($"trained on {cnn.Device} in {seconds:F1} s ({trainRows * training.Epochs / seconds:F0} images/s)");
        Report.Print(ml.MulticlassClassification.Evaluate(model.Transform(test), topKPredictionCount: 2));
        ml.Model.Save(model, train.Schema, output.FullName);
        Console.WriteLine($"model saved to {output.FullName}");
        return 0;
    }

    private sealed class ConsoleProgress(long images) : IProgress<EpochProgress>
    {
        public void Report(EpochProgress p) => Console.WriteLine($"{p}  {images / p.Seconds:F0} images/s");
    }
}
