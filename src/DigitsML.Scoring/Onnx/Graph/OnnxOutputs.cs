// OnnxOutputs.cs — what every graph DigitsML writes ends with: ML.NET's slot names on its class outputs, its producer,
// and its metadata (training history, network summaries, where the first convolution's maps are) in key order.
using System.ComponentModel;

namespace DigitsML.Onnx.Graph;

/// <summary>The finishing touches shared by the graphs of trained networks (training assembly) and of saved models
/// (<see cref="OnnxGraphs.Combine"/>). Public for DigitsML's training assembly; not meant for applications.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class OnnxOutputs
{
    /// <summary>The producer name written into every model.</summary>
    public const string Producer = "DigitsML";

    /// <summary>The producer version written into every model: this assembly's version (both DigitsML assemblies share it).</summary>
    public static string ProducerVersion => typeof(OnnxOutputs).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <summary>Writes <see cref="OnnxExportOptions.ClassNames"/>, if any, as ML.NET's slot names of every (batch, classes)
    /// output the options name.</summary>
    public static void AddSlotNames(OnnxGraph graph, OnnxExportOptions options)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(options);
        if (options.ClassNames is not { } names)
            return;
        foreach (string? output in new[] { options.ScoreName, options.LogitsName, options.VotesName })
            if (output is not null)
                graph.AddSlotNames(MlNetColumnName(output), names);
    }

    /// <summary>Adds <see cref="OnnxExportOptions.Metadata"/> (and the feature maps' place, when known) to
    /// <paramref name="model"/>, in key order, and returns the model.</summary>
    public static ModelProto WithMetadata(ModelProto model, OnnxExportOptions options, FeatureMaps? featureMaps)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        var metadata = new Dictionary<string, string>(options.Metadata ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        if (featureMaps is not null)
            metadata[FeatureMaps.Key] = featureMaps.ToJson();
        foreach (var (key, value) in metadata.OrderBy(p => p.Key, StringComparer.Ordinal))
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return model;
    }

    /// <summary>The column ML.NET's <c>ApplyOnnxModel</c> makes of the ONNX output <paramref name="output"/>, whose slot
    /// names it looks up under that column's name: OnnxTransform.cs drops ".output" (ML.NET's own exports end their
    /// outputs with it) by replacing it wherever it occurs, and so does this.</summary>
    private static string MlNetColumnName(string output) =>
        output.EndsWith(".output", StringComparison.Ordinal) ? output.Replace(".output", "", StringComparison.Ordinal) : output;
}
