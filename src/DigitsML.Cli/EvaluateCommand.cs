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
        // The model is the first argument, as in the other commands; --model, the first edition's spelling, still works.
        var model = new Argument<FileInfo?>("model") { Description = "Model file written by `digits train` or `digits ensemble`", Arity = ArgumentArity.ZeroOrOne };
        var modelOption = new Option<FileInfo?>("--model") { Description = "The model file, as the first argument gives it (the first edition's spelling)" };
        var json = JsonOutput.CreateOption("metrics, per-class figures and confusion matrix");
        var command = new Command("evaluate", "Evaluate a saved model on the test images");
        command.Arguments.Add(model);
        command.Options.Add(modelOption);
        data.AddTestTo(command);
        command.Options.Add(json);
        command.Validators.Add(result =>
        {
            bool argument = result.GetValue(model) is not null, option = result.GetValue(modelOption) is not null;
            if (argument == option)
                result.AddError(argument ? "give the model once: as the first argument or with --model, not both"
                                         : "give the model file: digits evaluate MODEL.zip");
        });
        command.SetAction(r =>
        {
            var ml = new MLContext();
            using var loaded = LoadedModel.Load(ml, (r.GetValue(model) ?? r.GetValue(modelOption))!);
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
