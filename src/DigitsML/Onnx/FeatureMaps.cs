// FeatureMaps.cs — which value of an exported graph holds the first convolution block's maps, so a report can show
// what the network's first layer responds to from the ONNX graph alone (a saved model keeps nothing else).
using System.Text.Json;
using DigitsML.Engine;
using DigitsML.Networks;

namespace DigitsML.Onnx;

/// <summary>The graph value after the first <see cref="Conv2d"/> and the BatchNorm and activation that directly follow
/// it, its layer's description and its shape (channels, height, width), as written in the graph's metadata.</summary>
public sealed record FeatureMaps(string Value, string Layer, int LayerIndex, int Channels, int Height, int Width)
{
    internal const string Key = "digitsml.featuremaps";

    /// <summary>The first convolution block of <paramref name="summary"/>, or null when the network has no convolution.</summary>
    internal static FeatureMaps? Find(NetworkSummary summary, IReadOnlyList<string> layerOutputs)
    {
        var layers = summary.Layers;
        int first = layers.ToList().FindIndex(l => l.Layer is Conv2d);
        if (first < 0)
            return null;
        int last = first;
        while (last + 1 < layers.Count && layers[last + 1].Layer is BatchNorm2d or ReLU or LeakyReLU or Sigmoid or Tanh)
            last++;
        var shape = layers[last].OutputShape;
        return new FeatureMaps(layerOutputs[last], layers[last].Layer.ToString()!, last, shape.Channels, shape.Height, shape.Width);
    }

    internal string ToJson() => JsonSerializer.Serialize(this);

    internal static FeatureMaps? FromJson(string json) => JsonSerializer.Deserialize<FeatureMaps>(json);
}
