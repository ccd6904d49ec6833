// EvaluateCommand.cs — `digits evaluate`: accuracy and confusion table of a saved model on IDX data.
using System.CommandLine;
using DigitsML.Engine;

namespace DigitsML.Cli;

internal static class EvaluateCommand
{
    public static Command Create()
    {
        var data = new DataOptions();
        var device = new DeviceOption();
        var model = new Option<FileInfo>("--model") { Description = "Model file written by `digits train` (required)", Required = true };
        var command = new Command("evaluate", "Evaluate a saved model on the test images");
        command.Options.Add(model);
        data.AddTestTo(command);
        device.AddTo(command);
        command.SetAction(r =>
        {
            using var network = NetworkFile.Load(r.GetValue(model)!.FullName, device.Resolve(r));
            var test = data.LoadTest(r);
            Report.Print(NetworkTrainer.Evaluate(network, test, keepProbabilities: true), test);
            return 0;
        });
        return command;
    }
}
