// NetworkDefinition.cs — a named layer list with its input shape: what Network.Create builds with TorchSharp.
using System.Collections.Immutable;
using System.Text.Json.Serialization;
using DigitsML.Engine;

namespace DigitsML.Networks;

/// <summary>A network as a list of layers over an input shape. Shapes and parameter counts are inferred
/// by <see cref="Summarize"/>; a layer that cannot take what reaches it is refused there, before any native call.</summary>
[JsonConverter(typeof(NetworkDefinitionJsonConverter))]
public sealed class NetworkDefinition
{
    /// <summary>Creates a definition.</summary>
    /// <param name="name">A display name, e.g. "SeedNet".</param>
    /// <param name="layers">The layers in order.</param>
    /// <param name="inputShape">The shape of one example; default <see cref="TensorShape.Mnist"/> (1, 28, 28).</param>
    /// <exception cref="ArgumentException">The name is empty or there are no layers.</exception>
    public NetworkDefinition(string name, IEnumerable<Layer> layers, TensorShape? inputShape = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(layers);
        Name = name;
        Layers = layers.ToImmutableArray();
        if (Layers.IsEmpty)
            throw new ArgumentException("A network needs at least one layer.", nameof(layers));
        if (Layers.Any(l => l is null))
            throw new ArgumentException("A layer is null.", nameof(layers));
        InputShape = inputShape ?? TensorShape.Mnist;
    }

    /// <summary>The display name.</summary>
    public string Name { get; }

    /// <summary>The layers in order.</summary>
    public ImmutableArray<Layer> Layers { get; }

    /// <summary>The shape of one input example.</summary>
    public TensorShape InputShape { get; }

    /// <summary>Infers each layer's output shape and parameter count.</summary>
    /// <exception cref="InvalidNetworkException">A layer cannot take the shape that reaches it, or the
    /// network does not end in a flat vector of class scores. The message names the layer, its position and the shapes.</exception>
    public NetworkSummary Summarize()
    {
        var rows = new List<LayerSummary>(Layers.Length);
        TensorShape shape = InputShape;
        for (int i = 0; i < Layers.Length; i++)
        {
            TensorShape output;
            try
            {
                output = Layers[i].InferOutput(shape);
            }
            catch (InvalidNetworkException e)
            {
                throw new InvalidNetworkException($"{Name}, layer {i}: {e.Message}");
            }
            rows.Add(new LayerSummary(i, Layers[i], shape, output, Layers[i].ParameterCount(shape)));
            shape = output;
        }
        if (shape.Rank != 1 || shape.Channels < 2)
            throw new InvalidNetworkException(
                $"{Name}: the last layer gives {shape}; a classifier must end in a flat vector of at least 2 class scores (add Flatten and Linear).");
        return new NetworkSummary(Name, InputShape, rows);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name}: {string.Join(" → ", Layers)}";
}
