// OnnxExportOptions.cs — the names an exported ONNX graph gives its input and outputs.
namespace DigitsML.Onnx;

/// <summary>How <see cref="OnnxExport"/> names the graph's input and outputs. The defaults are the column names an
/// ML.NET pipeline scores with (<c>Features</c> in, <c>Score</c> out), so <c>ApplyOnnxModel</c> needs no renaming.</summary>
public sealed record OnnxExportOptions
{
    /// <summary>The input: float (batch, C, H, W) images, or (batch, F) for a network over flat vectors, as the network
    /// takes them (pixels in [0, 1] for the ready-made architectures). Default "Features".</summary>
    public string InputName { get; init; } = "Features";

    /// <summary>The output of softmax probabilities, float (batch, classes). Default "Score".</summary>
    public string ScoreName { get; init; } = "Score";

    /// <summary>When set, a second output of raw logits, float (batch, classes), under this name (e.g. "Logits");
    /// default null, none.</summary>
    public string? LogitsName { get; init; }

    /// <summary>Refuses empty or repeated names, naming the property.</summary>
    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(InputName))
            throw new ArgumentException($"{nameof(InputName)} must not be empty.", nameof(InputName));
        if (string.IsNullOrWhiteSpace(ScoreName))
            throw new ArgumentException($"{nameof(ScoreName)} must not be empty.", nameof(ScoreName));
        if (ScoreName == InputName)
            throw new ArgumentException($"{nameof(ScoreName)} and {nameof(InputName)} are both '{ScoreName}'.", nameof(ScoreName));
        if (LogitsName is null)
            return;
        if (string.IsNullOrWhiteSpace(LogitsName))
            throw new ArgumentException($"{nameof(LogitsName)} must be null (no logits output) or a name.", nameof(LogitsName));
        if (LogitsName == InputName || LogitsName == ScoreName)
            throw new ArgumentException(
                $"{nameof(LogitsName)} '{LogitsName}' is already the {(LogitsName == InputName ? nameof(InputName) : nameof(ScoreName))}.",
                nameof(LogitsName));
    }
}
