// TrainCommand.cs — `digits train`: trains a network on IDX data, evaluates it on the test set, saves it.
using System.CommandLine;
using System.Diagnostics;
using DigitsML.Engine;

namespace DigitsML.Cli;

internal static class TrainCommand
{
    public static Command Create()
    {
        var data = new DataOptions();
        var recipe = new RecipeOptions();
        var device = new DeviceOption();
        var output = new Option<FileInfo>("--out") { Description = "Model file to write (default: digits-model.zip)", DefaultValueFactory = _ => new FileInfo("digits-model.zip") };
        var command = new Command("train", "Train a digit network, evaluate it on the test set and save the model");
        data.AddTrainingTo(command);
        recipe.AddTo(command);
        device.AddTo(command);
        command.Options.Add(output);
        command.SetAction((r, cancel) => Task.Run(() => Run(r, data, recipe, device, output, cancel), cancel));
        return command;
    }

    private static int Run(ParseResult r, DataOptions data, RecipeOptions recipe, DeviceOption deviceOption, Option<FileInfo> output,
        CancellationToken cancel)
    {
        var definition = recipe.ResolveArchitecture(r);
        var options = recipe.Resolve(r);
        var device = deviceOption.Resolve(r);
        var train = data.LoadTrain(r);
        if (r.GetValue(recipe.TrainCount) is > 0 and var limit)
            train = train.Take(limit);
        var test = data.LoadTest(r);
        Console.WriteLine(definition.Summarize());
        Console.WriteLine($"training on {train.Count:N0} images, testing on {test.Count:N0}; device {device}, " +
                          $"{TorchRuntime.Threads} threads, libtorch {TorchRuntime.Version}");
        Console.WriteLine($"recipe: {options.Epochs} epochs, batch {options.BatchSize}, {options.Optimizer}, {options.Schedule}, seed {options.Seed}");

        var clock = Stopwatch.StartNew();
        using var network = Network.Create(definition, device, (ulong)options.Seed);
        NetworkTrainer.Train(network, train, validation: null, options, new ConsoleProgress(train.Count), cancel);
        double trainSeconds = clock.Elapsed.TotalSeconds;
        var result = NetworkTrainer.Evaluate(network, test, keepProbabilities: true);
        Console.WriteLine($"trained in {trainSeconds:F1} s ({(double)train.Count * options.Epochs / trainSeconds:F0} images/s)");
        Report.Print(result, test);
        NetworkFile.Save(network, output.Get(r).FullName);
        Console.WriteLine($"model saved to {output.Get(r).FullName}");
        return 0;
    }

    private static FileInfo Get(this Option<FileInfo> option, ParseResult r) => r.GetValue(option)!;

    private sealed class ConsoleProgress(int images) : IProgress<EpochProgress>
    {
        public void Report(EpochProgress p) =>
            Console.WriteLine($"{p}  {images / p.Seconds:F0} images/s");
    }
}
