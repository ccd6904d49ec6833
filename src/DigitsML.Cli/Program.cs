// Program.cs — the `digits` command-line tool: train, evaluate, predict, combine and report on handwritten-digit CNNs.
using System.CommandLine;
using System.CommandLine.Invocation;
using DigitsML.Cli;

var verbose = new Option<bool>("--verbose") { Description = "Print full exception details on failure (default: off)", Recursive = true };
var root = new RootCommand("digits — train (TorchSharp), evaluate, predict with, combine and export handwritten-digit CNNs saved as ML.NET model files")
{
    TrainCommand.Create(),
    EvaluateCommand.Create(),
    PredictCommand.Create(),
    ReadCommand.Create(),
    EnsembleCommand.Create(),
    ReportCommand.Create(),
    ExportCommand.Create(),
};
root.Options.Add(verbose);
var parsed = root.Parse(args);
if (parsed.Action is ParseErrorAction)
    return Failure.ReportUsage(parsed);
try
{
    return await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (Exception e) when (e is not OutOfMemoryException)
{
    return Failure.Report(e, parsed.GetValue(verbose));
}
