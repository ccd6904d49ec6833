// OnnxExport.Ensemble.cs — several networks as ONE voting ONNX graph: the members side by side on the same input,
// their probabilities combined by soft or hard voting with the rules of the managed voting ensemble.
using DigitsML.Engine;
using DigitsML.Onnx.Graph;
using DigitsML.Trainers;
using Google.Protobuf;

namespace DigitsML.Onnx;

public static partial class OnnxExport
{
    /// <summary>The ONNX model of a voting ensemble of <paramref name="members"/>: one graph named "VotingEnsemble" whose
    /// input (as <see cref="ToBytes"/>'s) feeds every member, each member's nodes and initializers under the prefix
    /// "member<i>i</i>." ("member1.3.weight"), each member ending in its softmax probabilities p<sub>m</sub>
    /// (batch, K). With M members, s<sub>c</sub> = Σ<sub>m</sub> p<sub>mc</sub> the summed probabilities (added in
    /// member order) and v<sub>c</sub> the number of members whose probabilities peak at class c (a member's tie goes to
    /// its lowest class), the output <see cref="OnnxExportOptions.ScoreName"/> is:
    /// <list type="bullet">
    /// <item><see cref="VotingKind.Soft"/>: the mean probability, Score<sub>c</sub> = s<sub>c</sub> ÷ M, exactly the
    /// managed ensemble's <c>Score</c>.</item>
    /// <item><see cref="VotingKind.Hard"/>: a distribution led by the votes, Score<sub>c</sub> = ((M + 1)·v<sub>c</sub> +
    /// s<sub>c</sub>) ÷ Σ<sub>k</sub>((M + 1)·v<sub>k</sub> + s<sub>k</sub>), whose divisor is M·(M + 2) up to rounding.
    /// Because s<sub>c</sub> ≤ M &lt; M + 1, one vote more always outweighs any difference in summed probability, so
    /// its arg-max is the class with the most votes, a tie broken by the larger summed probability, then by the lowest
    /// class: the managed ensemble's <c>PredictedLabel</c>, now also what ML.NET's evaluator (the arg-max of
    /// <c>Score</c>) counts. (Summed probabilities closer than the float spacing of the tally, about 1e-6 for three
    /// members, count as equal.) Every class keeps a probability above zero, so log-loss stays finite. The managed
    /// ensemble's hard <c>Score</c>, the vote share v<sub>c</sub> ÷ M, is the optional output
    /// <see cref="OnnxExportOptions.VotesName"/>.</item>
    /// </list>
    /// The same members give the same bytes.</summary>
    /// <param name="members">The networks, at least one; they are only read. All must take the same input shape and
    /// give the same number of classes. The same network may appear twice.</param>
    /// <param name="voting">How the members' probabilities are combined.</param>
    /// <param name="options">Input and output names and class names; default <see cref="OnnxExportOptions"/>'s defaults.
    /// <see cref="OnnxExportOptions.LogitsName"/> must be null: an ensemble has no logits.</param>
    /// <returns>The serialized ModelProto.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="members"/> is null.</exception>
    /// <exception cref="ArgumentException">There are no members, a member is null, members differ in input shape or
    /// class count (the message names the member and both values), or an option is wrong (the message names it).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="voting"/> is not a <see cref="VotingKind"/>.</exception>
    /// <exception cref="ObjectDisposedException">A member has been disposed.</exception>
    /// <exception cref="InvalidNetworkException">A member's layer kind cannot be exported; the message names it.</exception>
    public static byte[] EnsembleToBytes(IReadOnlyList<Network> members, VotingKind voting, OnnxExportOptions? options = null) =>
        EnsembleToModel(members, voting, options).ToByteArray();

    /// <summary>Writes the voting ensemble of <see cref="EnsembleToBytes"/> to <paramref name="path"/> atomically, as
    /// <see cref="Save"/> writes one network.</summary>
    /// <param name="members">The networks; see <see cref="EnsembleToBytes"/>.</param>
    /// <param name="voting">How the members' probabilities are combined.</param>
    /// <param name="path">The .onnx file to create or replace; its folder must exist.</param>
    /// <param name="options">Input and output names and class names; default <see cref="OnnxExportOptions"/>'s defaults.</param>
    /// <exception cref="ArgumentException">The path is empty, or as for <see cref="EnsembleToBytes"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="voting"/> is not a <see cref="VotingKind"/>.</exception>
    /// <exception cref="ObjectDisposedException">A member has been disposed.</exception>
    /// <exception cref="InvalidNetworkException">A member's layer kind cannot be exported; the message names it.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void SaveEnsemble(IReadOnlyList<Network> members, VotingKind voting, string path, OnnxExportOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ModelProto model = EnsembleToModel(members, voting, options);
        IO.AtomicFile.Write(path, model.WriteTo);
    }

    private static ModelProto EnsembleToModel(IReadOnlyList<Network> members, VotingKind voting, OnnxExportOptions? options)
    {
        ArgumentNullException.ThrowIfNull(members);
        if (!Enum.IsDefined(voting))
            throw new ArgumentOutOfRangeException(nameof(voting), voting, $"{voting} is not a {nameof(VotingKind)} (Soft or Hard).");
        CheckMembers(members);
        options ??= new OnnxExportOptions();
        options.Validate();
        if (options.LogitsName is not null)
            throw new ArgumentException(
                $"{nameof(OnnxExportOptions.LogitsName)} must be null for an ensemble: its members' logits are not on one scale.",
                nameof(OnnxExportOptions.LogitsName));
        TensorShape inputShape = members[0].Definition.InputShape;
        int k = members[0].Classes;
        options.ValidateClassCount(k);
        var states = members.Select(m => m.GetState()).ToList();  // throws ObjectDisposedException before any work
        int count = members.Count;

        var graph = new OnnxGraph("VotingEnsemble");
        string input = AddInput(graph, options, inputShape);
        var probabilities = new string[count];
        for (int m = 0; m < count; m++)
        {
            string logits = ExportMember(graph, members[m], states[m], input, MemberPrefix(m));
            // logits: (batch, K) -> member m's probabilities: (batch, K), named "member{m}.Softmax"
            probabilities[m] = graph.Node("Softmax", [logits], "", OnnxGraph.Int("axis", 1));
        }
        graph.UseWeights(new Dictionary<string, (int[], float[])>());
        AddVote(graph, probabilities, voting, k, options);
        string names = string.Join(", ", members.Select(m => m.Definition.Name));
        return WithMetadata(graph.ToModel(Producer, ProducerVersion, $"{voting} voting of {count} networks ({names}): {k} classes from {inputShape} inputs"), options);
    }

    /// <summary>Adds the vote over the members' <paramref name="probabilities"/> (each (batch, <paramref name="k"/>)): the
    /// output <see cref="OnnxExportOptions.ScoreName"/> (and <see cref="OnnxExportOptions.VotesName"/> when set) by the
    /// rules <see cref="EnsembleToBytes"/> states, then the class names as slot names. Shared by
    /// <see cref="EnsembleToBytes"/> and <see cref="Combine"/>, so networks and saved graphs vote alike.</summary>
    private static void AddVote(OnnxGraph graph, string[] probabilities, VotingKind voting, int k, OnnxExportOptions options)
    {
        long[] classes = [k];
        int count = probabilities.Length;
        // M × (batch, K) -> sums: (batch, K)
        string sums = graph.Node("Sum", probabilities, "probabilities.");
        // Only where something divides by M: an initializer nothing reads makes ONNX Runtime warn on every load.
        string? memberCount = voting == VotingKind.Soft || options.VotesName is not null ? graph.Scalar("members", count) : null;
        string? votes = voting == VotingKind.Hard || options.VotesName is not null ? Votes(graph, probabilities, k) : null;
        if (voting == VotingKind.Soft)
            graph.AddOutput(options.ScoreName, classes, "Div", [sums, memberCount!]);
        else
        {
            // votes, sums: (batch, K) -> tally (M + 1)·votes + sums: (batch, K) -> its total: (batch, 1) -> Score: (batch, K)
            string weighted = graph.Node("Mul", [votes!, graph.Scalar("members_plus_one", count + 1)], "votes.");
            string tally = graph.Node("Add", [weighted, sums], "tally.");
            string total = graph.Node("ReduceSum", [tally, graph.Int64s("class_axis", 1)], "tally.", OnnxGraph.Int("keepdims", 1));
            graph.AddOutput(options.ScoreName, classes, "Div", [tally, total]);
        }
        if (options.VotesName is not null)
            graph.AddOutput(options.VotesName, classes, "Div", [votes!, memberCount!]);
        AddSlotNames(graph, options);
    }

    /// <summary>The prefix of member <paramref name="index"/>'s initializers and nodes ("member0.").</summary>
    internal static string MemberPrefix(int index) => $"member{index}.";

    /// <summary>Refuses an empty list, null members, and members that disagree with the first on input shape or classes.</summary>
    private static void CheckMembers(IReadOnlyList<Network> members)
    {
        if (members.Count == 0)
            throw new ArgumentException("An ensemble needs at least one member network; none was given.", nameof(members));
        for (int m = 0; m < members.Count; m++)
            if (members[m] is null)
                throw new ArgumentException($"Ensemble member {m} is null.", nameof(members));
        Network first = members[0];
        for (int m = 1; m < members.Count; m++)
        {
            Network member = members[m];
            if (member.Definition.InputShape != first.Definition.InputShape)
                throw new ArgumentException(
                    $"Ensemble member {m} ({member.Definition.Name}) takes {member.Definition.InputShape} inputs but member 0 " +
                    $"({first.Definition.Name}) takes {first.Definition.InputShape}: all members must score the same input.",
                    nameof(members));
            if (member.Classes != first.Classes)
                throw new ArgumentException(
                    $"Ensemble member {m} ({member.Definition.Name}) gives {member.Classes} classes but member 0 " +
                    $"({first.Definition.Name}) gives {first.Classes}: all members must vote on the same classes.",
                    nameof(members));
        }
    }

    /// <summary>Adds each member's vote, a one-hot of the arg-max of its probabilities (the first maximum, as the managed
    /// combiner takes it), and returns their sum: the votes per class, float (batch, K).</summary>
    private static string Votes(OnnxGraph graph, string[] probabilities, int classes)
    {
        string depth = graph.Int64s("classes", classes);
        string offOn = graph.Floats("one_hot_values", 0f, 1f);
        var ballots = new string[probabilities.Length];
        for (int m = 0; m < probabilities.Length; m++)
        {
            // p: (batch, K) -> index: (batch) int64 -> ballot: (batch, K) float
            string index = graph.Node("ArgMax", [probabilities[m]], MemberPrefix(m),
                OnnxGraph.Int("axis", 1), OnnxGraph.Int("keepdims", 0), OnnxGraph.Int("select_last_index", 0));
            ballots[m] = graph.Node("OneHot", [index, depth, offOn], MemberPrefix(m), OnnxGraph.Int("axis", -1));
        }
        return graph.Node("Sum", ballots, "votes.");
    }
}
