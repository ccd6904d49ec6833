// TrainingMetadata.cs — the training history and network summary, carried in the ONNX graph's metadata so they survive
// ml.Model.Save / Load (ML.NET keeps no third-party state), and read back from a saved model zip.
using System.Text.Json;
using DigitsML.Onnx.Graph;
using DigitsML.Networks;

namespace DigitsML;

/// <summary>What a report needs of a trained model, read from its ONNX graph: the history of each member (one for a CNN,
/// one per member for an ensemble), the network summaries as text, and where the first convolution block's maps are.</summary>
/// <param name="Histories">Each member's figures per epoch (one list for a CNN).</param>
/// <param name="Networks">Each member's network summary, as text.</param>
/// <param name="GraphDescription">The graph's own description (its doc string).</param>
/// <param name="FeatureMaps">Where the first convolution block's maps are; null when the graph does not say.</param>
public sealed record TrainingMetadata(IReadOnlyList<IReadOnlyList<EpochProgress>> Histories, IReadOnlyList<string> Networks,
    string GraphDescription, FeatureMaps? FeatureMaps)
{
    internal const string HistoryKey = "digitsml.history", NetworkKey = "digitsml.network";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    /// <summary>The ONNX metadata entries (for <see cref="OnnxExportOptions.Metadata"/>) that carry
    /// <paramref name="histories"/> and <paramref name="networks"/>, member by member: what <see cref="FromOnnx"/> reads
    /// back. DigitsML's trainers write them for every model they fit.</summary>
    /// <param name="histories">Each member's figures per epoch.</param>
    /// <param name="networks">Each member's network summary, as text.</param>
    public static Dictionary<string, string> Entries(IReadOnlyList<IReadOnlyList<EpochProgress>> histories, IReadOnlyList<string> networks)
    {
        ArgumentNullException.ThrowIfNull(histories);
        ArgumentNullException.ThrowIfNull(networks);
        return new(StringComparer.Ordinal)
        {
            [HistoryKey] = JsonSerializer.Serialize(histories, Json),
            [NetworkKey] = JsonSerializer.Serialize(networks, Json),
        };
    }

    /// <summary>Reads the metadata of a serialized ONNX model; a graph without DigitsML's entries gives empty lists.</summary>
    /// <exception cref="DataFormatException">The bytes are not an ONNX model, or its DigitsML entries are damaged.</exception>
    public static TrainingMetadata FromOnnx(ReadOnlySpan<byte> onnxModel, string source = "ONNX model")
    {
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(onnxModel);
        }
        catch (Google.Protobuf.InvalidProtocolBufferException e)
        {
            throw new DataFormatException(null, $"{source} is not an ONNX model: {e.Message}");
        }
        var entries = model.MetadataProps.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        try
        {
            var histories = entries.TryGetValue(HistoryKey, out var h)
                ? JsonSerializer.Deserialize<List<List<EpochProgress>>>(h, Json) ?? [] : [];
            var networks = entries.TryGetValue(NetworkKey, out var n) ? JsonSerializer.Deserialize<List<string>>(n, Json) ?? [] : [];
            var maps = entries.TryGetValue(FeatureMaps.Key, out var f) ? FeatureMaps.FromJson(f) : null;
            return new TrainingMetadata([.. histories.Select(x => (IReadOnlyList<EpochProgress>)x)], networks, model.DocString, maps);
        }
        catch (JsonException e)
        {
            throw new DataFormatException(null, $"{source} has damaged DigitsML training metadata: {e.Message}");
        }
    }

    /// <summary>The ONNX graph inside an ML.NET model zip saved by <c>ml.Model.Save</c> (what <c>ApplyOnnxModel</c>
    /// stored): exactly one is expected.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="DataFormatException">The file is not a zip, or holds no ONNX graph, or several; the message names
    /// the file.</exception>
    public static byte[] ReadOnnxFromModelZip(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"No model file at '{path}'.", path);
        // Checked as LoadDigitsModel checks it (sizes, length prefix, the graph itself) before anything is allocated.
        using var stream = File.OpenRead(path);
        var graphs = Models.ModelZipCheck.Check(stream, path);
        if (graphs.Count != 1)
            throw new DataFormatException(path, graphs.Count == 0
                ? "it holds no ONNX graph: it is not a model saved from a DigitsML trainer."
                : $"it holds {graphs.Count} ONNX graphs; DigitsML models hold one.");
        return graphs[0].Bytes.ToArray();
    }
}
