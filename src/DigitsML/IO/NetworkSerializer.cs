// NetworkSerializer.cs — a network as model-file entries: its definition as JSON and its state as safetensors.
using System.Text.Json;
using System.Text.Json.Serialization;
using DigitsML.Engine;
using DigitsML.Networks;

namespace DigitsML.IO;

/// <summary>Turns a <see cref="Network"/> into two model-file entries under a prefix, and back.</summary>
internal static class NetworkSerializer
{
    internal const string DefinitionEntry = "network.json";
    internal const string WeightsEntry = "weights.safetensors";
    internal const long MaxParameters = 256L << 20;
    internal const long MaxActivationElements = 16L << 20;

    internal static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        MaxDepth = 32,
    };

    private sealed record DefinitionDto(string Name, int[] InputShape, Layer[] Layers);

    internal static byte[] DefinitionToJson(NetworkDefinition definition)
    {
        var s = definition.InputShape;
        int[] shape = s.Rank == 1 ? [s.Channels] : [s.Channels, s.Height, s.Width];
        return JsonSerializer.SerializeToUtf8Bytes(new DefinitionDto(definition.Name, shape, [.. definition.Layers]), Json);
    }

    /// <exception cref="DataFormatException">The JSON is not a valid network definition.</exception>
    internal static NetworkDefinition DefinitionFromJson(byte[] json, string source)
    {
        DefinitionDto? dto;
        try
        {
            dto = JsonSerializer.Deserialize<DefinitionDto>(json, Json);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or ArgumentException)
        {
            throw new DataFormatException(source, $"the network definition is not valid ({e.Message})");
        }
        if (dto is null || string.IsNullOrWhiteSpace(dto.Name) || dto.Layers is not { Length: > 0 } || dto.InputShape is null)
            throw new DataFormatException(source, "the network definition lacks a name, an input shape or layers");
        TensorShape shape = dto.InputShape switch
        {
            [int n] when n > 0 => TensorShape.Vector(n),
            [int c, int h, int w] when c > 0 && h > 0 && w > 0 && (long)c * h * w <= 1 << 24 => TensorShape.Image(c, h, w),
            _ => throw new DataFormatException(source, $"input shape [{string.Join(", ", dto.InputShape)}] is not valid"),
        };
        if (dto.Layers.Any(l => l is null))
            throw new DataFormatException(source, "the network definition holds a null layer");
        var definition = new NetworkDefinition(dto.Name, dto.Layers, shape);
        NetworkSummary summary;
        try
        {
            summary = definition.Summarize();
        }
        catch (InvalidNetworkException e)
        {
            throw new DataFormatException(source, $"the stored network is inconsistent: {e.Message}");
        }
        // Bounds what building the network would allocate, before libtorch allocates anything.
        if (summary.TotalParameters > MaxParameters)
            throw new DataFormatException(source, $"the stored network has {summary.TotalParameters:N0} parameters, over the {MaxParameters:N0} limit");
        var huge = summary.Layers.FirstOrDefault(l => l.OutputShape.Elements > MaxActivationElements);
        if (huge is not null)
            throw new DataFormatException(source,
                $"layer {huge.Index} ({huge.Layer}) of the stored network gives {huge.OutputShape}, over the {MaxActivationElements:N0}-value limit per example");
        return definition;
    }

    internal static void AddEntries(IDictionary<string, byte[]> entries, string prefix, Network network,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        entries[prefix + DefinitionEntry] = DefinitionToJson(network.Definition);
        entries[prefix + WeightsEntry] = Safetensors.Write(network.GetState(), metadata);
    }

    /// <summary>Builds the network stored under <paramref name="prefix"/> and loads its weights.</summary>
    /// <exception cref="DataFormatException">An entry is missing, does not fit the stored definition, or libtorch cannot
    /// build the stored network.</exception>
    /// <exception cref="DeviceUnavailableException">The device cannot be used.</exception>
    internal static Network FromEntries(IReadOnlyDictionary<string, byte[]> entries, string prefix, Device device, string source)
    {
        if (!entries.TryGetValue(prefix + DefinitionEntry, out var json) || !entries.TryGetValue(prefix + WeightsEntry, out var weights))
            throw new DataFormatException(source, $"entries '{prefix}{DefinitionEntry}' and '{prefix}{WeightsEntry}' are required");
        var definition = DefinitionFromJson(json, source);
        var tensors = Safetensors.Read(weights, source);
        Network network;
        try
        {
            network = Network.Create(definition, device);
        }
        catch (TorchException e)
        {
            // Shape inference accepts some layer settings libtorch cannot build (a padding of 2^31 − 1, found by the
            // fuzzer); for a file that is a format error, not an engine failure.
            throw new DataFormatException(source, $"the stored network cannot be built: {e.Message}");
        }
        try
        {
            network.SetState(tensors);
            return network;
        }
        catch (ArgumentException e)
        {
            network.Dispose();
            throw new DataFormatException(source, $"the stored weights do not fit the stored network: {e.Message}");
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }
}
