// OnnxVote.cs — the nodes of one vote over members' probabilities (soft: their mean; hard: the vote-led distribution),
// shared by the voting graphs of trained networks (training assembly) and of saved models (OnnxGraphs.Combine).
using System.ComponentModel;

namespace DigitsML.Onnx.Graph;

/// <summary>Adds the vote of a voting ensemble to an <see cref="OnnxGraph"/> by the rules of DigitsML's voting ensembles:
/// <see cref="VotingKind.Soft"/> gives the members' mean probability; <see cref="VotingKind.Hard"/> gives
/// ((M + 1)·votes + summed probabilities) normalised, whose arg-max is the class with most votes, a tie broken by the
/// larger summed probability, then by the lowest class. Public for DigitsML's training assembly, whose network
/// ensembles vote with the same nodes as saved models do; not meant for applications.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class OnnxVote
{
    /// <summary>The prefix of member <paramref name="index"/>'s initializers and nodes ("member0.").</summary>
    public static string MemberPrefix(int index) => $"member{index}.";

    /// <summary>The options checked for an ensemble of <paramref name="classes"/> classes (no logits: the members' are not
    /// on one scale); default <see cref="OnnxExportOptions"/>'s defaults.</summary>
    /// <exception cref="ArgumentException">An option is wrong; the message names it.</exception>
    public static OnnxExportOptions CheckOptions(OnnxExportOptions? options, int classes)
    {
        options ??= new OnnxExportOptions();
        options.Validate();
        if (options.LogitsName is not null)
            throw new ArgumentException(
                $"{nameof(OnnxExportOptions.LogitsName)} must be null for an ensemble: its members' logits are not on one scale.",
                nameof(OnnxExportOptions.LogitsName));
        options.ValidateClassCount(classes);
        return options;
    }

    /// <summary>Adds one vote over <paramref name="probabilities"/> (each (batch, <paramref name="k"/>)) and returns its
    /// score (batch, K). At the root (<paramref name="root"/>) the score is the graph output
    /// <see cref="OnnxExportOptions.ScoreName"/>, reserved before, and the vote share v ÷ M the output
    /// <see cref="OnnxExportOptions.VotesName"/> when set; below it an inner node named under <paramref name="prefix"/>.</summary>
    public static string Add(OnnxGraph graph, string[] probabilities, VotingKind voting, int k, string prefix,
        OnnxExportOptions options, bool root)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(probabilities);
        ArgumentNullException.ThrowIfNull(options);
        int count = probabilities.Length;
        long[] classes = [k];
        // M × (batch, K) -> sums: (batch, K)
        string sums = graph.Node("Sum", probabilities, prefix + "probabilities.");
        // Only the mean and the vote share divide by M: an initializer nothing reads makes ONNX Runtime warn on every load.
        bool wantVotes = root && options.VotesName is not null;
        string? memberCount = voting == VotingKind.Soft || wantVotes ? graph.Scalar(prefix + "members", count) : null;
        string? votes = voting == VotingKind.Hard || wantVotes ? Votes(graph, probabilities, k, prefix) : null;
        string score;
        if (voting == VotingKind.Soft)
            score = Output(graph, root ? options.ScoreName : null, classes, "Div", [sums, memberCount!], prefix + "score.");
        else
        {
            // votes, sums: (batch, K) -> tally (M + 1)·votes + sums: (batch, K) -> its total: (batch, 1) -> Score: (batch, K)
            string weighted = graph.Node("Mul", [votes!, graph.Scalar(prefix + "members_plus_one", count + 1)], prefix + "votes.");
            string tally = graph.Node("Add", [weighted, sums], prefix + "tally.");
            string total = graph.Node("ReduceSum", [tally, graph.Int64s(prefix + "class_axis", 1)], prefix + "tally.", OnnxGraph.Int("keepdims", 1));
            score = Output(graph, root ? options.ScoreName : null, classes, "Div", [tally, total], prefix + "score.");
        }
        if (wantVotes)
            graph.AddOutput(options.VotesName!, classes, "Div", [votes!, memberCount!]);
        return score;
    }

    /// <summary>A graph output named <paramref name="output"/> when there is one, else an inner node.</summary>
    private static string Output(OnnxGraph graph, string? output, long[] classes, string opType, string[] inputs, string hint)
    {
        if (output is null)
            return graph.Node(opType, inputs, hint);
        graph.AddOutput(output, classes, opType, inputs);
        return output;
    }

    /// <summary>Adds each member's vote, a one-hot of the arg-max of its probabilities (the first maximum, as the managed
    /// combiner takes it), and returns their sum: the votes per class, float (batch, K).</summary>
    private static string Votes(OnnxGraph graph, string[] probabilities, int classes, string prefix)
    {
        string depth = graph.Int64s(prefix + "classes", classes);
        string offOn = graph.Floats(prefix + "one_hot_values", 0f, 1f);
        var ballots = new string[probabilities.Length];
        for (int m = 0; m < probabilities.Length; m++)
        {
            // p: (batch, K) -> index: (batch) int64 -> ballot: (batch, K) float
            string index = graph.Node("ArgMax", [probabilities[m]], prefix + MemberPrefix(m),
                OnnxGraph.Int("axis", 1), OnnxGraph.Int("keepdims", 0), OnnxGraph.Int("select_last_index", 0));
            ballots[m] = graph.Node("OneHot", [index, depth, offOn], prefix + MemberPrefix(m), OnnxGraph.Int("axis", -1));
        }
        return graph.Node("Sum", ballots, prefix + "votes.");
    }
}
