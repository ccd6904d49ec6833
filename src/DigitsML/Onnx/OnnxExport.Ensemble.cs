// OnnxExport.Ensemble.cs — several networks as ONE voting ONNX graph: the members side by side on the same input,
// their probabilities combined by soft or hard voting with the rules of the managed voting ensemble.
using DigitsML.Engine;
using DigitsML.Onnx.Graph;
using DigitsML.Scoring;
using Google.Protobuf;
using DigitsML.Networks;

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
    internal static byte[] EnsembleToBytes(IReadOnlyList<Network> members, VotingKind voting, OnnxExportOptions? options = null) =>
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
    internal static void SaveEnsemble(IReadOnlyList<Network> members, VotingKind voting, string path, OnnxExportOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ModelProto model = EnsembleToModel(members, voting, options);
        AtomicFile.Write(path, model.WriteTo);
    }

    private static ModelProto EnsembleToModel(IReadOnlyList<Network> members, VotingKind voting, OnnxExportOptions? options)
    {
        ArgumentNullException.ThrowIfNull(members);
        if (!Enum.IsDefined(voting))
            throw new ArgumentOutOfRangeException(nameof(voting), voting, $"{voting} is not a {nameof(VotingKind)} (Soft or Hard).");
        CheckMembers(members);
        return VotingTreeToModel(VotingTree.Vote(voting, [.. members.Select(VotingTree.Leaf)]), options);
    }

    /// <summary>The ONNX model of a voting tree: <see cref="EnsembleToBytes"/> when every member is a network; a member
    /// that is itself a vote contributes its own <c>Score</c> as its probabilities (so a hard vote above counts it as one
    /// ballot for its predicted class). Nested members' nodes and initializers are prefixed by each level
    /// ("member1.member0.3.weight").</summary>
    /// <exception cref="ArgumentException">The networks differ in input shape or classes, or an option is wrong.</exception>
    internal static byte[] VotingTreeToBytes(VotingTree root, OnnxExportOptions? options = null) => VotingTreeToModel(root, options).ToByteArray();

    private static ModelProto VotingTreeToModel(VotingTree root, OnnxExportOptions? options)
    {
        var leaves = root.Networks();
        CheckMembers(leaves);
        TensorShape inputShape = leaves[0].Definition.InputShape;
        int k = leaves[0].Classes;
        options = OnnxVote.CheckOptions(options, k);
        var states = leaves.Distinct().ToDictionary(n => n, n => n.GetState());  // throws ObjectDisposedException before any work

        var graph = new OnnxGraph("VotingEnsemble");
        string input = AddInput(graph, options, inputShape);
        FeatureMaps? featureMaps = null;  // the first network's, for reports
        AddVote(graph, root, input, "", states, options, k, ref featureMaps, root: true);
        OnnxOutputs.AddSlotNames(graph, options);
        string names = string.Join(", ", leaves.Select(m => m.Definition.Name));
        return OnnxOutputs.WithMetadata(graph.ToModel(OnnxOutputs.Producer, OnnxOutputs.ProducerVersion,
            $"{root.Voting} voting of {root.Members.Count} {(root.Members.All(m => m.Network is not null) ? "networks" : "members")} ({names}): " +
            $"{k} classes from {inputShape} inputs"), options, featureMaps);
    }

    /// <summary>Adds the nodes of one vote and returns its score (batch, K); at the root the score (and the votes, when
    /// asked) are the graph outputs named by the options.</summary>
    private static string AddVote(OnnxGraph graph, VotingTree vote, string input, string prefix, Dictionary<Network, IReadOnlyList<NamedTensor>> states,
        OnnxExportOptions options, int k, ref FeatureMaps? featureMaps, bool root)
    {
        int count = vote.Members.Count;
        var probabilities = new string[count];
        for (int m = 0; m < count; m++)
        {
            var member = vote.Members[m];
            string memberPrefix = prefix + OnnxVote.MemberPrefix(m);
            if (member.Network is { } network)
            {
                string logits = ExportMember(graph, network, states[network], input, memberPrefix, out var maps);
                featureMaps ??= maps;
                // logits: (batch, K) -> member m's probabilities: (batch, K), named "member{m}.Softmax"
                probabilities[m] = graph.Node("Softmax", [logits], "", OnnxGraph.Int("axis", 1));
                graph.UseWeights(new Dictionary<string, (int[], float[])>());
            }
            else
                probabilities[m] = AddVote(graph, member, input, memberPrefix, states, options, k, ref featureMaps, root: false);
        }

        return OnnxVote.Add(graph, probabilities, vote.Voting, k, prefix, options, root);
    }

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
}
