// FeatureMaps.cs — which value of an exported graph holds the first convolution block's maps, so a report can show
// what the network's first layer responds to from the ONNX graph alone (a saved model keeps nothing else).
using System.Text.Json;

namespace DigitsML;

/// <summary>The graph value after the first convolution and the BatchNorm and activation that directly follow it, its
/// layer's description and its shape (channels, height, width), as written in the graph's metadata.</summary>
/// <param name="Value">The ONNX value holding the maps.</param>
/// <param name="Layer">The layer that gives them, as the network summary describes it.</param>
/// <param name="LayerIndex">That layer's index in the network.</param>
/// <param name="Channels">Maps.</param>
/// <param name="Height">Each map's height.</param>
/// <param name="Width">Each map's width.</param>
public sealed record FeatureMaps(string Value, string Layer, int LayerIndex, int Channels, int Height, int Width)
{
    internal const string Key = "digitsml.featuremaps";

    internal string ToJson() => JsonSerializer.Serialize(this);

    internal static FeatureMaps? FromJson(string json) => JsonSerializer.Deserialize<FeatureMaps>(json);
}
