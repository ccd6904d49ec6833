// OnnxExportOptions.cs — the names an exported ONNX graph gives its input, outputs and classes.
using System.ComponentModel;

namespace DigitsML;

/// <summary>How an exported ONNX graph (a trained network's, or saved graphs combined by <see cref="OnnxGraphs.Combine"/>) names the graph's input, outputs and classes. The defaults are the column names
/// an ML.NET pipeline scores with (<c>Features</c> in, <c>Score</c> out), so <c>ApplyOnnxModel</c> needs no renaming.</summary>
public sealed record OnnxExportOptions
{
    /// <summary>The input: float (batch, C, H, W) images, or (batch, F) for a network over flat vectors, as the network
    /// takes them (pixels in [0, 1] for the ready-made architectures). Default "Features".</summary>
    public string InputName { get; init; } = "Features";

    /// <summary>The output of class probabilities, float (batch, classes). Default "Score".</summary>
    public string ScoreName { get; init; } = "Score";

    /// <summary>When set, a second output of raw logits, float (batch, classes), under this name (e.g. "Logits");
    /// default null, none. A single network only: an ensemble has no logits of its own.</summary>
    public string? LogitsName { get; init; }

    /// <summary>When set, an ensemble's extra output of each class's share of the members' votes, float
    /// (batch, classes): votes ÷ members, where each member votes for the arg-max of its own probabilities (the lowest
    /// class on a tie). It is what the managed <c>VotingEnsembleTransformer</c> gives as <c>Score</c> for
    /// <see cref="VotingKind.Hard"/>. Default null, none. An ensemble only.</summary>
    public string? VotesName { get; init; }

    /// <summary>When set, the classes' names in class order (a label's key values, such as "0" … "9"), written as
    /// ML.NET's slot names of every (batch, classes) output: a dead ai.onnx.ml <c>LabelEncoder</c> node named
    /// <c>mlnet.Score.SlotNames</c> (for <see cref="ScoreName"/> "Score") whose <c>keys_strings</c> are the names, as
    /// ML.NET's own ONNX export writes them and its <c>ApplyOnnxModel</c> reads them; ONNX Runtime ignores the node.
    /// There must be exactly one distinct, non-null name per class. Default null: no slot names, and no ai.onnx.ml
    /// import.</summary>
    public IReadOnlyList<string>? ClassNames { get; init; }

    /// <summary>Key–value pairs written as the model's <c>metadata_props</c> (ONNX Runtime shows them as custom
    /// metadata); default null, none. DigitsML's trainers write the training history here, so a report can read it back
    /// from a saved model.</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>Refuses empty or repeated names, naming the property. Public for DigitsML's training assembly.</summary>
    /// <exception cref="ArgumentException">A name is empty or repeated; the message names the property.</exception>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(InputName))
            throw new ArgumentException($"{nameof(InputName)} must not be empty.", nameof(InputName));
        if (string.IsNullOrWhiteSpace(ScoreName))
            throw new ArgumentException($"{nameof(ScoreName)} must not be empty.", nameof(ScoreName));
        if (ScoreName == InputName)
            throw new ArgumentException($"{nameof(ScoreName)} and {nameof(InputName)} are both '{ScoreName}'.", nameof(ScoreName));
        ValidateExtraOutput(LogitsName, nameof(LogitsName), "no logits output");
        ValidateExtraOutput(VotesName, nameof(VotesName), "no votes output");
        if (LogitsName is not null && LogitsName == VotesName)
            throw new ArgumentException($"{nameof(VotesName)} '{VotesName}' is already the {nameof(LogitsName)}.", nameof(VotesName));
        if (ClassNames is null)
            return;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < ClassNames.Count; i++)
        {
            if (ClassNames[i] is not string name)
                throw new ArgumentException($"{nameof(ClassNames)}[{i}] is null.", nameof(ClassNames));
            if (!seen.Add(name))
                throw new ArgumentException($"{nameof(ClassNames)} names the class '{name}' twice.", nameof(ClassNames));
        }
    }

    /// <summary>Refuses class names that do not match the model's <paramref name="classes"/>. Public for DigitsML's
    /// training assembly.</summary>
    /// <exception cref="ArgumentException"><see cref="ClassNames"/> has another number of names.</exception>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void ValidateClassCount(int classes)
    {
        if (ClassNames is not null && ClassNames.Count != classes)
            throw new ArgumentException(
                $"{nameof(ClassNames)} has {ClassNames.Count} names but the model has {classes} classes.", nameof(ClassNames));
    }

    private void ValidateExtraOutput(string? name, string option, string meaningOfNull)
    {
        if (name is null)
            return;
        if (string.IsNullOrWhiteSpace(name))
            throw new ArgumentException($"{option} must be null ({meaningOfNull}) or a name.", option);
        if (name == InputName || name == ScoreName)
            throw new ArgumentException(
                $"{option} '{name}' is already the {(name == InputName ? nameof(InputName) : nameof(ScoreName))}.", option);
    }
}
