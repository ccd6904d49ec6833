// TrainingMetadata.cs — the training history and network summary, carried in the ONNX graph's metadata so they survive
// ml.Model.Save / Load (ML.NET keeps no third-party state), and read back from a saved model zip.
using System.IO.Compression;
using System.Text.Json;
using DigitsML.Engine;
using DigitsML.Networks;
using DigitsML.Onnx.Graph;

namespace DigitsML.Onnx;

/// <summary>What a report needs of a trained model, read from its ONNX graph: the history of each member (one for a CNN,
/// one per member for an ensemble), the network summaries as text, and where the first convolution block's maps are.</summary>
public sealed record TrainingMetadata(IReadOnlyList<IReadOnlyList<EpochProgress>> Histories, IReadOnlyList<string> Networks,
    string GraphDescription, FeatureMaps? FeatureMaps)
{
    internal const string HistoryKey = "digitsml.history", NetworkKey = "digitsml.network";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    /// <summary>The metadata entries for one trained network.</summary>
    internal static Dictionary<string, string> Write(IReadOnlyList<EpochProgress> history, NetworkSummary summary) =>
        Write([history], [summary]);

    /// <summary>The metadata entries for an ensemble's members.</summary>
    internal static Dictionary<string, string> Write(IReadOnlyList<IReadOnlyList<EpochProgress>> histories, IReadOnlyList<NetworkSummary> summaries) =>
        new(StringComparer.Ordinal)
        {
            [HistoryKey] = JsonSerializer.Serialize(histories, Json),
            [NetworkKey] = JsonSerializer.Serialize(summaries.Select(s => s.ToString()).ToList(), Json),
        };

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
        try
        {
            using var zip = ZipFile.OpenRead(path);
            // ApplyOnnxModel saves the graph as the binary stream "OnnxModel": a 32-bit length, then the bytes.
            var entries = zip.Entries.Where(e => e.Name == "OnnxModel").ToList();
            if (entries.Count != 1)
                throw new DataFormatException(path, entries.Count == 0
                    ? "it holds no ONNX graph: it is not a model saved from a DigitsML trainer."
                    : $"it holds {entries.Count} ONNX graphs; DigitsML models hold one.");
            using var stream = entries[0].Open();
            using var reader = new BinaryReader(stream);
            int length = reader.ReadInt32();
            byte[] bytes = reader.ReadBytes(length);
            if (length < 0 || bytes.Length != length)
                throw new DataFormatException(path, "its ONNX graph is truncated.");
            return bytes;
        }
        catch (InvalidDataException e)
        {
            throw new DataFormatException(path, $"not a model zip: {e.Message}");
        }
    }
}
