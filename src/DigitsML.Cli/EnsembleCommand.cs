// EnsembleCommand.cs — `digits ensemble MODEL1 MODEL2 ...`: combines trained model files into one voting ensemble (one ONNX
// graph), evaluates every member and both votes on the test set, and saves the ensemble with the vote asked for.
using System.CommandLine;

namespace DigitsML.Cli;

internal static class EnsembleCommand
{
    /// <summary>One member model and its own metrics.</summary>
    private sealed record MemberJson(string Model, MetricsJson Metrics);

    /// <summary>What `digits ensemble --json` prints: the saved file, its vote, each member's metrics and both votes'.</summary>
    private sealed record Document(string Model, VotingKind Voting, IReadOnlyList<MemberJson> Members, MetricsJson Soft, MetricsJson Hard);

    public static Command Create()
    {
        var data = new DataOptions();
        var models = new Argument<string[]>("models")
        {
            Description = "Model files written by `digits train` (or `digits ensemble`), scoring the same classes",
            Arity = ArgumentArity.OneOrMore,
        };
        var vote = new Option<string>("--vote")
        {
            Description = "How the saved ensemble votes: soft (mean probability) or hard (majority, ties to the larger summed probability) " +
                          "(default: soft); both are evaluated and printed",
            DefaultValueFactory = _ => "soft",
        };
        vote.Validators.Add(result =>
        {
            if (result.GetValue(vote) is not ("soft" or "hard"))
                result.AddError($"--vote must be soft or hard; got '{result.GetValue(vote)}'");
        });
        var output = new Option<FileInfo>("--out") { Description = "Ensemble model file to write (default: ensemble.zip)", DefaultValueFactory = _ => new FileInfo("ensemble.zip") };
        var json = JsonOutput.CreateOption("each member's and both votes' metrics, per-class figures and confusion matrices, the saved file");
        var command = new Command("ensemble", "Combine trained model files into one voting ensemble (one ONNX graph of every member), compare it with its members on the test set and save it");
        command.Arguments.Add(models);
        foreach (Option o in new Option[] { vote, output })
            command.Options.Add(o);
        data.AddTestTo(command);
        command.Options.Add(json);
        command.SetAction(r =>
        {
            var ml = new MLContext();
            var voting = r.GetValue(vote) == "hard" ? VotingKind.Hard : VotingKind.Soft;
            return Run(ml, data.LoadTest(ml, r), r.GetValue(models)!, voting, r.GetValue(output)!.FullName, r.GetValue(json));
        });
        return command;
    }

    private static int Run(MLContext ml, IDataView test, string[] paths, VotingKind voting, string output, bool json)
    {
        var soft = EnsembleBuilder.Build(ml, paths, VotingKind.Soft, test);
        try
        {
            var hard = EnsembleBuilder.Build(ml, paths, VotingKind.Hard, test);
            try
            {
                var members = paths.Select(p => EvaluateMember(ml, p, test)).ToList();
                var softVote = Evaluation.Of(ml, soft, test);
                var hardVote = Evaluation.Of(ml, hard, test);
                ModelFile.Save(ml, voting == VotingKind.Soft ? soft : hard, test.Schema, output);
                if (json)
                {
                    JsonOutput.Write(new Document(output, voting, [.. paths.Select((p, i) => new MemberJson(p, members[i].ToJson()))],
                        softVote.ToJson(), hardVote.ToJson()));
                    return 0;
                }
                long images = softVote.Metrics.ConfusionMatrix.Counts.Sum(row => (long)row.Sum());
                Console.WriteLine($"{paths.Length} models combined, evaluated on {images:N0} test images:");
                Report.PrintComparison([.. paths.Select((p, i) => (p, members[i].Metrics)), ("soft vote (mean probability)", softVote.Metrics),
                    ("hard vote (majority)", hardVote.Metrics)]);
                Console.WriteLine($"{voting.ToString().ToLowerInvariant()}-vote ensemble saved to {output}");
                return 0;
            }
            finally
            {
                (hard as IDisposable)?.Dispose();
            }
        }
        finally
        {
            (soft as IDisposable)?.Dispose();
        }
    }

    /// <summary>One member file's own metrics on the test set.</summary>
    private static Evaluation EvaluateMember(MLContext ml, string path, IDataView test)
    {
        using var member = LoadedModel.Load(ml, new FileInfo(path));
        return Evaluation.Of(ml, member.Transformer, test);
    }
}
