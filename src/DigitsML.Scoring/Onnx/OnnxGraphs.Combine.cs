// OnnxGraphs.Combine.cs — several saved ONNX graphs (each: Features in, Score probabilities out) as ONE voting graph, with
// the voting rules of the trained voting ensembles (OnnxVote): how `digits ensemble` combines models trained and saved apart.
using DigitsML.Onnx.Graph;
using Google.Protobuf;

namespace DigitsML;

public static partial class OnnxGraphs
{
    /// <summary>The output every member graph must have: the class probabilities, as DigitsML's trainers write them.</summary>
    private const string MemberScore = "Score";

    /// <summary>The ONNX model of a voting ensemble of already exported graphs: one graph named "VotingEnsemble" whose input
    /// <see cref="OnnxExportOptions.InputName"/> feeds every member, each member's nodes and initializers renamed under
    /// the prefix "member<i>i</i>." (as the training assembly's ensemble export names them, so a nested ensemble reads
    /// "member0.member1.3.weight"), and <see cref="OnnxExportOptions.ScoreName"/> combining the members' <c>Score</c>
    /// outputs by exactly the rules of a trained voting ensemble (<see cref="OnnxVote"/>): the mean for <see cref="VotingKind.Soft"/>; for
    /// <see cref="VotingKind.Hard"/> the vote-led distribution whose arg-max is the class with most votes, then the larger
    /// summed probability, then the lowest class. Only the nodes a member needs for its <c>Score</c> are kept (its
    /// slot-name node and any other outputs are dropped); the class names come from
    /// <see cref="OnnxExportOptions.ClassNames"/> or else the members' own slot names. The training histories and network
    /// summaries of the members' metadata are kept, member after member, unless <see cref="OnnxExportOptions.Metadata"/>
    /// is set. The same members give the same bytes.</summary>
    /// <param name="members">Serialized ONNX models (ModelProto), at least one, as DigitsML's trainers, its network
    /// export or this method write them (batched: <see cref="ToBatched"/> of a model zip's graph): one float input of shape (batch, ...), an output
    /// <c>Score</c> of shape (batch, K), opset <see cref="OnnxGraph.Opset"/>. All must take the same input name and shape,
    /// score the same number of classes and, where they name them, the same classes in the same order.</param>
    /// <param name="voting">How the members' probabilities are combined.</param>
    /// <param name="options">Input and output names and class names; default <see cref="OnnxExportOptions"/>'s defaults.
    /// <see cref="OnnxExportOptions.LogitsName"/> must be null: an ensemble has no logits.</param>
    /// <returns>The serialized ModelProto.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="members"/> is null.</exception>
    /// <exception cref="ArgumentException">There are no members, a member is null or not an ONNX model, lacks the input or
    /// <c>Score</c> output described above, uses another opset or a control-flow node, or disagrees with member 0 on input,
    /// class count or class names (the message names the member and both values), or an option is wrong.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="voting"/> is not a <see cref="VotingKind"/>.</exception>
    public static byte[] Combine(IReadOnlyList<byte[]> members, VotingKind voting, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(members);
        if (!Enum.IsDefined(voting))
            throw new ArgumentOutOfRangeException(nameof(voting), voting, $"{voting} is not a {nameof(VotingKind)} (Soft or Hard).");
        if (members.Count == 0)
            throw new ArgumentException("An ensemble needs at least one member graph; none was given.", nameof(members));
        var parsed = members.Select((bytes, m) => SavedMember.Parse(bytes, m)).ToList();
        CheckSavedMembers(parsed);
        SavedMember first = parsed[0];
        options = OnnxVote.CheckOptions(options, first.Classes);
        options = options with
        {
            ClassNames = options.ClassNames ?? parsed.Select(p => p.ClassNames).FirstOrDefault(n => n is not null),
            Metadata = options.Metadata ?? MergedMetadata(parsed),
        };

        // The vote is built by the same code as a trained ensemble's (OnnxVote), on each member's probabilities. Those enter it as
        // placeholder inputs named as the imported members will name them, which keeps OnnxGraph from giving the names to
        // its own nodes; each placeholder is then replaced by the member's own nodes.
        var graph = new OnnxGraph("VotingEnsemble");
        graph.AddInput(options.InputName, first.InputShape);
        foreach (string? output in new[] { options.ScoreName, options.VotesName })
            if (output is not null)
                graph.Reserve(output);
        var probabilities = parsed.Select((_, m) => graph.AddInput(OnnxVote.MemberPrefix(m) + MemberScore, [first.Classes])).ToArray();
        OnnxVote.Add(graph, probabilities, voting, first.Classes, "", options, root: true);
        OnnxOutputs.AddSlotNames(graph, options);
        string names = string.Join(", ", parsed.Select(p => p.Model.Graph.Name));
        string shape = string.Join(" × ", first.InputShape);
        ModelProto model = graph.ToModel(OnnxOutputs.Producer, OnnxOutputs.ProducerVersion,
            $"{voting} voting of {parsed.Count} saved models ({names}): {first.Classes} classes from ({shape}) inputs");

        var placeholders = new HashSet<string>(probabilities, StringComparer.Ordinal);
        var kept = model.Graph.Input.Where(i => !placeholders.Contains(i.Name)).ToList();
        model.Graph.Input.Clear();
        model.Graph.Input.AddRange(kept);
        var nodes = new List<NodeProto>();
        for (int m = 0; m < parsed.Count; m++)
        {
            var (memberNodes, initializers) = parsed[m].Import(OnnxVote.MemberPrefix(m), options.InputName);
            nodes.AddRange(memberNodes);
            model.Graph.Initializer.AddRange(initializers);
            AddOpsets(model, parsed[m], memberNodes);
        }
        // ONNX wants nodes in topological order: every member's nodes come before the vote that reads them.
        nodes.AddRange(model.Graph.Node);
        model.Graph.Node.Clear();
        model.Graph.Node.AddRange(nodes);
        CheckUniqueNames(model.Graph);
        return OnnxOutputs.WithMetadata(model, options, MemberFeatureMaps(parsed[0])).ToByteArray();
    }

    /// <summary>Member 0's first-convolution maps, as renamed under its prefix, for reports.</summary>
    private static FeatureMaps? MemberFeatureMaps(SavedMember member)
    {
        var entry = member.Model.MetadataProps.FirstOrDefault(p => p.Key == FeatureMaps.Key);
        return entry is null || FeatureMaps.FromJson(entry.Value) is not { } maps ? null : maps with { Value = OnnxVote.MemberPrefix(0) + maps.Value };
    }

    /// <summary>The input name of a serialized ONNX model's one graph input (the features column it reads).</summary>
    /// <exception cref="ArgumentException">The bytes are not an ONNX model with one input.</exception>
    internal static string InputNameOf(byte[] model) => SavedMember.Parse(model, 0).InputName;

    /// <summary>Refuses members that disagree with member 0 on input name, input shape, class count or class names.</summary>
    private static void CheckSavedMembers(IReadOnlyList<SavedMember> members)
    {
        SavedMember first = members[0];
        for (int m = 1; m < members.Count; m++)
        {
            SavedMember member = members[m];
            string who = $"Ensemble member {m} ({member.Model.Graph.Name})";
            string zero = $"member 0 ({first.Model.Graph.Name})";
            if (member.InputName != first.InputName)
                throw new ArgumentException($"{who} reads the input '{member.InputName}' but {zero} reads '{first.InputName}': " +
                                            "all members must score the same input.", nameof(members));
            if (!member.InputShape.SequenceEqual(first.InputShape))
                throw new ArgumentException($"{who} takes ({string.Join(", ", member.InputShape)}) inputs but {zero} takes " +
                                            $"({string.Join(", ", first.InputShape)}): all members must score the same input.", nameof(members));
            if (member.Classes != first.Classes)
                throw new ArgumentException($"{who} gives {member.Classes} classes but {zero} gives {first.Classes} classes: " +
                                            "all members must vote on the same classes.", nameof(members));
            if (member.ClassNames is { } names && members.Select(p => p.ClassNames).FirstOrDefault(n => n is not null) is { } expected
                && !names.SequenceEqual(expected))
                throw new ArgumentException($"{who} scores the classes {string.Join(", ", names)} but the members before it score " +
                                            $"{string.Join(", ", expected)}: all members must vote on the same classes, in the same order.",
                    nameof(members));
        }
    }

    /// <summary>The members' training histories and network summaries, one after another, as one ensemble's metadata; a
    /// member without DigitsML metadata adds none.</summary>
    private static Dictionary<string, string> MergedMetadata(IReadOnlyList<SavedMember> members)
    {
        var metadata = members.Select(m => TrainingMetadata.FromOnnx(m.Bytes, $"ensemble member {m.Index}")).ToList();
        return TrainingMetadata.Entries([.. metadata.SelectMany(d => d.Histories)], [.. metadata.SelectMany(d => d.Networks)]);
    }

    /// <summary>Imports the operator sets of the domains other than the default one that a member's kept nodes use.</summary>
    /// <exception cref="ArgumentException">Another member, or the vote, imports such a domain at another version.</exception>
    private static void AddOpsets(ModelProto model, SavedMember member, IEnumerable<NodeProto> nodes)
    {
        foreach (string domain in nodes.Select(n => n.Domain).Where(d => d.Length > 0).Distinct(StringComparer.Ordinal))
        {
            long version = member.Opset(domain);
            var existing = model.OpsetImport.FirstOrDefault(o => o.Domain == domain);
            if (existing is null)
                model.OpsetImport.Add(new OperatorSetIdProto { Domain = domain, Version = version });
            else if (existing.Version != version)
                throw new ArgumentException($"Ensemble member {member.Index} uses {domain} version {version} but the ensemble imports " +
                                            $"version {existing.Version}.", "members");
        }
    }

    /// <summary>Checks that no two values (inputs, initializers, node outputs) share a name after the import: a member
    /// value named as one of the vote's own ("member0.ArgMax") would silently be computed twice.</summary>
    private static void CheckUniqueNames(GraphProto graph)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var names = graph.Input.Select(i => i.Name).Concat(graph.Initializer.Select(t => t.Name))
            .Concat(graph.Node.SelectMany(n => n.Output)).Where(n => n.Length > 0);
        foreach (string name in names)
            if (!seen.Add(name))
                throw new InvalidOperationException($"Combining the members gives two ONNX values named '{name}'; rename the member's value.");
    }

    /// <summary>One member graph, parsed and checked: its input, its classes, and the nodes behind its <c>Score</c>.</summary>
    private sealed class SavedMember
    {
        private SavedMember(byte[] bytes, int index, ModelProto model, string inputName, long[] inputShape, int classes,
            IReadOnlyList<string>? classNames)
        {
            Bytes = bytes;
            Index = index;
            Model = model;
            InputName = inputName;
            InputShape = inputShape;
            Classes = classes;
            ClassNames = classNames;
        }

        public byte[] Bytes { get; }

        public int Index { get; }

        public ModelProto Model { get; }

        public string InputName { get; }

        /// <summary>The input's dimensions after the batch.</summary>
        public long[] InputShape { get; }

        public int Classes { get; }

        /// <summary>The slot names of <c>Score</c>, or null when the graph names no classes.</summary>
        public IReadOnlyList<string>? ClassNames { get; }

        /// <exception cref="ArgumentException">The member is not a graph <see cref="Combine"/> can take; the message says why.</exception>
        public static SavedMember Parse(byte[] bytes, int index)
        {
            string who = $"Ensemble member {index}";
            if (bytes is null)
                throw new ArgumentException($"{who} is null.", "members");
            ModelProto model;
            try
            {
                model = ModelProto.Parser.ParseFrom(bytes);
            }
            catch (InvalidProtocolBufferException e)
            {
                throw new ArgumentException($"{who} is not an ONNX model: {e.Message}", "members", e);
            }
            GraphProto graph = model.Graph ?? throw new ArgumentException($"{who} is an ONNX model without a graph.", "members");
            long opset = model.OpsetImport.FirstOrDefault(o => o.Domain.Length == 0)?.Version ?? 0;
            if (opset != OnnxGraph.Opset)
                throw new ArgumentException($"{who} ({graph.Name}) is written for ONNX opset {opset}; only opset {OnnxGraph.Opset} graphs, as " +
                                            "DigitsML writes them, can be combined.", "members");
            if (graph.Node.SelectMany(n => n.Attribute).Any(a => (int)a.Type is 5 or 10))
                throw new ArgumentException($"{who} ({graph.Name}) holds a control-flow node (a graph attribute), which cannot be combined.", "members");
            var initializers = graph.Initializer.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
            var inputs = graph.Input.Where(i => !initializers.Contains(i.Name)).ToList();
            if (inputs.Count != 1)
                throw new ArgumentException($"{who} ({graph.Name}) has {inputs.Count} inputs; each member must read one, the features.", "members");
            long[] inputShape = Dimensions(inputs[0], who, graph.Name);
            var score = graph.Output.FirstOrDefault(o => o.Name == MemberScore)
                ?? throw new ArgumentException($"{who} ({graph.Name}) has no output '{MemberScore}' of class probabilities.", "members");
            long[] scoreShape = Dimensions(score, who, graph.Name);
            if (scoreShape.Length != 1 || scoreShape[0] is < 1 or > int.MaxValue)
                throw new ArgumentException($"{who} ({graph.Name}) gives '{MemberScore}' of shape (batch, {string.Join(", ", scoreShape)}); " +
                                            "expected (batch, classes).", "members");
            return new SavedMember(bytes, index, model, inputs[0].Name, inputShape, (int)scoreShape[0], SlotNames(graph));
        }

        /// <summary>The version of <paramref name="domain"/> this member imports.</summary>
        public long Opset(string domain) => Model.OpsetImport.First(o => o.Domain == domain).Version;

        /// <summary>The nodes that compute <c>Score</c>, in the member's order, and the initializers they read, all renamed
        /// under <paramref name="prefix"/>; the member's input becomes <paramref name="input"/>.</summary>
        /// <exception cref="ArgumentException">A node reads a value nothing in the member gives.</exception>
        public (List<NodeProto> Nodes, List<TensorProto> Initializers) Import(string prefix, string input)
        {
            GraphProto graph = Model.Graph;
            var producers = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int n = 0; n < graph.Node.Count; n++)
                foreach (string output in graph.Node[n].Output)
                    producers[output] = n;
            var initializers = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
            var needed = new HashSet<int>();
            var usedInitializers = new HashSet<string>(StringComparer.Ordinal);
            var pending = new Stack<string>([MemberScore]);
            while (pending.TryPop(out string? value))
            {
                if (value.Length == 0 || value == InputName)
                    continue;  // an omitted optional input, or the features
                if (initializers.ContainsKey(value))
                {
                    usedInitializers.Add(value);
                    continue;
                }
                if (!producers.TryGetValue(value, out int node))
                    throw new ArgumentException($"Ensemble member {Index} ({graph.Name}) reads the value '{value}', which nothing in its graph gives.", "members");
                if (needed.Add(node))
                    foreach (string read in graph.Node[node].Input)
                        pending.Push(read);
            }
            string Rename(string name) => name.Length == 0 ? name : name == InputName ? input : prefix + name;
            var nodes = new List<NodeProto>();
            for (int n = 0; n < graph.Node.Count; n++)
            {
                if (!needed.Contains(n))
                    continue;
                NodeProto node = graph.Node[n].Clone();
                var reads = node.Input.Select(Rename).ToList();
                var writes = node.Output.Select(Rename).ToList();
                node.Input.Clear();
                node.Input.AddRange(reads);
                node.Output.Clear();
                node.Output.AddRange(writes);
                if (node.Name.Length > 0)
                    node.Name = prefix + node.Name;
                nodes.Add(node);
            }
            var tensors = graph.Initializer.Where(t => usedInitializers.Contains(t.Name)).Select(t =>
            {
                TensorProto copy = t.Clone();
                copy.Name = prefix + t.Name;
                return copy;
            }).ToList();
            return (nodes, tensors);
        }

        /// <summary>The dimensions of a float tensor value after its first (batch) dimension, each a fixed size.</summary>
        private static long[] Dimensions(ValueInfoProto value, string who, string graphName)
        {
            var tensor = value.Type?.TensorType;
            if (tensor is null || tensor.ElemType != (int)TensorProto.Types.DataType.Float || tensor.Shape is null || tensor.Shape.Dim.Count < 2)
                throw new ArgumentException($"{who} ({graphName}): '{value.Name}' is not a float tensor of shape (batch, ...).", "members");
            var dims = tensor.Shape.Dim.Skip(1).ToList();
            if (dims.Any(d => d.ValueCase != TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue || d.DimValue < 1))
                throw new ArgumentException($"{who} ({graphName}): '{value.Name}' has a dimension after the batch that is not a fixed size.", "members");
            return [.. dims.Select(d => d.DimValue)];
        }

        /// <summary>The class names ML.NET reads as <c>Score</c>'s slot names (<see cref="OnnxGraph.AddSlotNames"/>), if any.</summary>
        private static IReadOnlyList<string>? SlotNames(GraphProto graph)
        {
            var node = graph.Node.FirstOrDefault(n => n.Name == $"mlnet.{MemberScore}.SlotNames" && n.OpType == "LabelEncoder");
            var keys = node?.Attribute.FirstOrDefault(a => a.Name == "keys_strings");
            return keys is null ? null : [.. keys.Strings.Select(s => s.ToStringUtf8())];
        }
    }
}
