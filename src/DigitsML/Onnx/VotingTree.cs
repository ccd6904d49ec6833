// VotingTree.cs — what a (possibly nested) voting ensemble exports: networks at the leaves, a vote at every inner node.
using DigitsML.Engine;

namespace DigitsML.Onnx;

/// <summary>A network, or a vote of members that are themselves trees.</summary>
internal sealed record VotingTree(Network? Network, VotingKind Voting, IReadOnlyList<VotingTree> Members)
{
    internal static VotingTree Leaf(Network network) => new(network, VotingKind.Soft, []);

    internal static VotingTree Vote(VotingKind voting, IReadOnlyList<VotingTree> members) => new(null, voting, members);

    /// <summary>The networks at the leaves, left to right.</summary>
    internal IReadOnlyList<Network> Networks() =>
        Network is { } network ? [network] : [.. Members.SelectMany(m => m.Networks())];
}
