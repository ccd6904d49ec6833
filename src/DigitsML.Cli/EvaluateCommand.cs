// EvaluateCommand.cs — `digits evaluate`: metrics and confusion table of a saved model on IDX data.
using System.CommandLine;

namespace DigitsML.Cli;

internal static class EvaluateCommand
{
    /// <summary>What `digits evaluate --json` prints.</summary>
    private sealed record Document(string Model, MetricsJson Metrics);

    public static Command Create()
    {
        var data = new DataOptions();
        var model = new Option<FileInfo>("--model") { Description = "Model file written by `digits train` or `digits ensemble` (required)", Required = true };
        var json = JsonOutput.CreateOption("metrics, per-class figures and confusion matrix");
        var command = new Command("evaluate", "Evaluate a saved model on the test images");
        command.Options.Add(model);
        data.AddTestTo(command);
        command.Options.Add(json);
        command.SetAction(r =>
        {
            var ml = new MLContext();
            using var loaded = LoadedModel.Load(ml, r.GetValue(model)!);
            var evaluation = Evaluation.Of(ml, loaded.Transformer, data.LoadTest(ml, r));
            if (r.GetValue(json))
                JsonOutput.Write(new Document(loaded.Path, evaluation.ToJson()));
            else
                Report.Print(evaluation.Metrics);
            return 0;
        });
        return command;
    }
}
