// ReportCommand.cs — `digits report`: one self-contained HTML page about a saved model and its test data.
using System.CommandLine;

namespace DigitsML.Cli;

internal static class ReportCommand
{
    public static Command Create()
    {
        var data = new DataOptions();
        var model = new Argument<FileInfo>("model") { Description = "Model file written by `digits train` or `digits ensemble`" };
        var output = new Option<FileInfo>("--out") { Description = "HTML file to write (default: report.html)", DefaultValueFactory = _ => new FileInfo("report.html") };
        var command = new Command("report", "Write an HTML report: training curves (kept in the model file), confusion heat map, " +
                                            "right and wrong predictions and the network summary");
        var robust = new Option<DirectoryInfo?>("--robust")
        {
            Description = "Add a robustness table: the model on this robustness set (build/bench.sh robust makes it; docs/robustness.md), " +
                          "one line per corruption, their mean and the other writers",
        };
        command.Arguments.Add(model);
        command.Options.Add(output);
        command.Options.Add(robust);
        data.AddTestTo(command);
        command.SetAction(r =>
        {
            var file = r.GetValue(model)!;
            if (!file.Exists)
                throw new FileNotFoundException($"No model file at '{file.FullName}'.", file.FullName);
            string path = r.GetValue(output)!.FullName;
            var robustSet = r.GetValue(robust);
            if (robustSet is not null && !robustSet.Exists)
                throw new DirectoryNotFoundException($"--robust: no folder at '{robustSet.FullName}'.");
            var options = new ModelReportOptions { RobustnessSet = robustSet?.FullName, RobustnessMnist = r.GetValue(data.Folder)?.FullName };
            ModelReport.Write(file.FullName, data.LoadTest(new MLContext(), r), path, options);
            Console.WriteLine($"report written to {path}");
            return 0;
        });
        return command;
    }
}
