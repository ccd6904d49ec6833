// VotingEnsembleTransformer.cs — fitted ensemble members as one transformer: adds the vote's Score and PredictedLabel; owns the members.
using System.Collections.Immutable;
using System.Text.Json.Nodes;
using DigitsML.Data;
using DigitsML.Model;

namespace DigitsML.Trainers;

/// <summary>The fitted voting ensemble. <see cref="Transform"/> runs the input through every member and adds
/// <c>Score</c> (<c>Vector&lt;Single, K&gt;</c>: the mean probability for <see cref="VotingKind.Soft"/>, the vote share for
/// <see cref="VotingKind.Hard"/>; slot names as the first member's score) and <c>PredictedLabel</c> (a key of K values;
/// key values as the first member's predicted label). Scoring is lazy: a cursor reads the members' scores in lockstep,
/// each member scoring in its own batches. It owns its members: dispose it (or the chain holding it); double dispose is
/// harmless, use after dispose throws <see cref="ObjectDisposedException"/>. Saved as one model file with every member,
/// nested ensembles included.</summary>
public sealed partial class VotingEnsembleTransformer : IPersistentTransformer, IDisposable
{
    internal const string KindName = "VotingEnsemble";

    private readonly ImmutableArray<ITransformer> members;
    private bool disposed;

    internal VotingEnsembleTransformer(IEnumerable<ITransformer> members, VotingKind voting, string scoreColumnName, string predictedLabelColumnName)
    {
        this.members = [.. members];
        Voting = voting;
        ScoreColumnName = scoreColumnName;
        PredictedLabelColumnName = predictedLabelColumnName;
    }

    /// <summary>The fitted members, in voting order. They belong to this ensemble: do not dispose them separately.</summary>
    public IReadOnlyList<ITransformer> Members => members;

    /// <summary>How the members' scores are combined.</summary>
    public VotingKind Voting { get; }

    /// <summary>The score column read from each member and written by the ensemble.</summary>
    public string ScoreColumnName { get; }

    /// <summary>The predicted-label column the ensemble writes.</summary>
    public string PredictedLabelColumnName { get; }

    string IPersistentTransformer.Kind => KindName;

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The members do not score the same classes; the message names the member.</exception>
    /// <exception cref="ObjectDisposedException">The ensemble was disposed.</exception>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        ObjectDisposedException.ThrowIf(disposed, this);
        var (_, schema) = Bind(inputSchema, [.. members.Select(m => m.GetOutputSchema(inputSchema))]);
        return schema;
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The members do not score the same classes; the message names the member.</exception>
    /// <exception cref="ObjectDisposedException">The ensemble was disposed.</exception>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        ObjectDisposedException.ThrowIf(disposed, this);
        var views = members.Select(m => m.Transform(input)).ToArray();
        var (scores, schema) = Bind(input.Schema, [.. views.Select(v => v.Schema)]);
        return new VotingEnsembleDataView(input, views, scores, Voting, schema);
    }

    /// <summary>Finds each member's score column in its output schema, checks they agree on the classes, and builds the
    /// ensemble's schema.</summary>
    private (DataViewSchema.Column[] Scores, DataViewSchema Schema) Bind(DataViewSchema input, DataViewSchema[] memberSchemas)
    {
        var scores = new MemberScore[members.Length];
        for (int i = 0; i < members.Length; i++)
        {
            scores[i] = FindScore(memberSchemas[i], i, members[i], ScoreColumnName);
            CheckSameClasses(scores[0], scores[i]);
        }
        var first = scores[0];
        var predicted = memberSchemas[0].GetColumnOrNull(PredictedLabelColumnName);
        // Key values are copied only when they describe exactly these classes.
        var predictedAnnotations = predicted is { Type: KeyDataViewType key } p && key.Count == (ulong)first.Classes
            ? p.Annotations : DataViewSchema.Annotations.Empty;
        var schema = input.Append(
        [
            (ScoreColumnName, new VectorDataViewType(NumberDataViewType.Single, first.Classes), first.Column.Annotations),
            (PredictedLabelColumnName, new KeyDataViewType(typeof(uint), first.Classes), predictedAnnotations),
        ]);
        return ([.. scores.Select(s => s.Column)], schema);
    }

    /// <summary>One member's score column and the classes it names.</summary>
    internal readonly record struct MemberScore(int Member, string Description, DataViewSchema.Column Column, int Classes, string[]? ClassNames);

    /// <summary>The score column of member <paramref name="index"/>'s output: a known-size vector of <c>Single</c>.</summary>
    /// <exception cref="InvalidOperationException">There is none; the message names the member.</exception>
    internal static MemberScore FindScore(DataViewSchema memberOutput, int index, ITransformer member, string scoreColumnName)
    {
        string description = $"ensemble member {index} ({CursorBase.TypeName(member.GetType())})";
        var column = memberOutput.GetColumnOrNull(scoreColumnName);
        if (column is not { Type: VectorDataViewType { IsKnownSize: true, ItemType: NumberDataViewType item } vector } c || !item.Equals(NumberDataViewType.Single))
            throw new InvalidOperationException(
                $"{Capitalize(description)} gives no '{scoreColumnName}' column of class probabilities (a known-size Vector<Single>); " +
                $"its output has {SchemaErrors.DescribeColumns(memberOutput)}.");
        string[]? names = null;
        if (c.HasSlotNames())
        {
            VBuffer<ReadOnlyMemory<char>> slots = default;
            c.GetSlotNames(ref slots);
            names = [.. slots.DenseValues().Select(n => n.ToString())];
        }
        return new MemberScore(index, description, c, vector.Size, names);
    }

    /// <summary>Refuses a member whose classes differ from the first member's in number, names or order.</summary>
    /// <exception cref="InvalidOperationException">They differ; the message names the member and both class lists.</exception>
    internal static void CheckSameClasses(MemberScore first, MemberScore other)
    {
        bool sameNames = first.ClassNames is null && other.ClassNames is null
            || first.ClassNames is { } a && other.ClassNames is { } b && a.SequenceEqual(b);
        if (first.Classes == other.Classes && sameNames)
            return;
        throw new InvalidOperationException(
            $"{Capitalize(other.Description)} scores {Describe(other)}, but {first.Description} scores {Describe(first)}; " +
            "every member of a voting ensemble must score the same classes in the same order (train them on the same label key).");
    }

    private static string Describe(MemberScore score) => score.ClassNames is { } names
        ? $"{score.Classes} classes [{string.Join(", ", names.Take(12))}{(names.Length > 12 ? ", ..." : "")}]"
        : $"{score.Classes} unnamed classes";

    private static string Capitalize(string text) => char.ToUpperInvariant(text[0]) + text[1..];

    void IPersistentTransformer.Save(JsonObject node, ModelSaveContext context)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        node["voting"] = Voting.ToString();
        node["scoreColumnName"] = ScoreColumnName;
        node["predictedLabelColumnName"] = PredictedLabelColumnName;
        // Each member writes its own node; a CNN takes a fresh entry prefix, so members (and nested ensembles) never collide.
        node["members"] = new JsonArray([.. members.Select(m => (JsonNode)TransformerRegistry.Write(m, context))]);
    }

    /// <exception cref="DataFormatException">The node is malformed or a member cannot be read; nothing is left allocated.</exception>
    internal static VotingEnsembleTransformer Load(JsonObject node, ModelLoadContext context, int depth)
    {
        string votingText = context.Text(node, "voting");
        if (!Enum.TryParse<VotingKind>(votingText, ignoreCase: false, out var voting) || !Enum.IsDefined(voting) || char.IsDigit(votingText[0]))
            throw context.Error($"unknown voting kind '{votingText}'");
        string score = context.Text(node, "scoreColumnName");
        string predicted = context.Text(node, "predictedLabelColumnName");
        var loaded = new List<ITransformer>();
        try
        {
            foreach (var item in context.Array(node, "members"))
                loaded.Add(TransformerRegistry.Read(item as JsonObject ?? throw context.Error("an ensemble member is not an object"), context, depth + 1));
            if (loaded.Count == 0)
                throw context.Error("a voting ensemble has no members");
            return new VotingEnsembleTransformer(loaded, voting, score, predicted);
        }
        catch
        {
            foreach (var member in loaded)
                (member as IDisposable)?.Dispose();
            throw;
        }
    }

    /// <summary>Disposes every member that is disposable. Safe to call more than once.</summary>
    public void Dispose()
    {
        if (disposed)
            return;
        disposed = true;
        foreach (var member in members)
            (member as IDisposable)?.Dispose();
    }
}
