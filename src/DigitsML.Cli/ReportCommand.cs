// ReportCommand.cs — `digits report`: one self-contained HTML page about a saved model and its test data.
using System.CommandLine;
using DigitsML.Reporting;

namespace DigitsML.Cli;

internal static class ReportCommand
{
    public static Command Create()
    {
        var data = new DataOptions();
        var device = new DeviceOption();
        var model = new Argument<FileInfo>("model") { Description = "Model file written by `digits train`" };
        var output = new Option<FileInfo>("--out") { Description = "HTML file to write (default: report.html)", DefaultValueFactory = _ => new FileInfo("report.html") };
        var command = new Command("report", "Write an HTML report: training curves, confusion heat map, right and wrong predictions, " +
                                            "first-layer feature maps and the model summary");
        command.Arguments.Add(model);
        command.Options.Add(output);
        data.AddTestTo(command);
        device.AddTo(command);
        command.SetAction(r =>
        {
            var ml = device.CreateContext(r);
            using var loaded = LoadedModel.Load(ml, r.GetValue(model)!);
            string path = r.GetValue(output)!.FullName;
            ModelReport.Write(loaded.Transformer, data.LoadTest(ml, r), path);
            Console.WriteLine($"report written to {path}");
            return 0;
        });
        return command;
    }
}
