// EvaluateCommand.cs — `digits evaluate`: metrics and confusion table of a saved model on IDX data.
using System.CommandLine;

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
            var ml = device.CreateContext(r);
            var loaded = ml.Model.Load(r.GetValue(model)!.FullName, out _);
            try
            {
                Report.Print(ml.MulticlassClassification.Evaluate(loaded.Transform(data.LoadTest(ml, r)), topKPredictionCount: 2));
            }
            finally
            {
                (loaded as IDisposable)?.Dispose();
            }
            return 0;
        });
        return command;
    }
}
