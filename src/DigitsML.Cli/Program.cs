// Program.cs — the `digits` command-line tool: train, evaluate, predict, combine and report on handwritten-digit CNNs.
using System.CommandLine;
using System.CommandLine.Invocation;
using DigitsML.Cli;

var verbose = new Option<bool>("--verbose") { Description = "Print full exception details on failure (default: off)", Recursive = true };
var commands = new (string Name, Func<Command> Create)[]
{
    ("train", TrainCommand.Create),
    ("evaluate", EvaluateCommand.Create),
    ("predict", PredictCommand.Create),
    ("read", ReadCommand.Create),
    ("train-reader", TrainReaderCommand.Create),
    ("ensemble", EnsembleCommand.Create),
    ("report", ReportCommand.Create),
    ("export", ExportCommand.Create),
};
var root = new RootCommand("digits — train (TorchSharp), evaluate, predict with, combine and export handwritten-digit CNNs saved as ML.NET model files");
// A line that starts with a command's name builds that command alone: building `train` makes its recipes, whose networks'
// layers are TorchSharp modules, and would load TorchSharp into report, export and ensemble, which need none of it.
foreach (var (_, create) in commands.Where(c => args.Length == 0 || args[0] == c.Name || !commands.Any(o => o.Name == args[0])))
    root.Subcommands.Add(create());
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
finally
{
    // DIGITS_LIST_ASSEMBLIES=1 prints every assembly the command loaded, one "loaded: NAME" line each on stderr: how the
    // tests show that report, export and ensemble of saved models never load TorchSharp (nor libtorch with it).
    if (Environment.GetEnvironmentVariable("DIGITS_LIST_ASSEMBLIES") == "1")
        foreach (string name in AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetName().Name ?? "").Order(StringComparer.Ordinal))
            Console.Error.WriteLine($"loaded: {name}");
}
