// Residual.cs — a residual block: the sum of a body of layers and a shortcut (the identity, or a projection).
using DigitsML.Interop;

namespace DigitsML.Engine;

/// <summary>y = body(x) + shortcut(x). With no shortcut layers the shortcut is the identity, so the body must give
/// back the input's shape; where channels or sizes change, a shortcut such as <c>Conv2d(c, 1, Bias: false),
/// BatchNorm2d()</c> projects the input to the body's output shape. Layers inside may themselves be residual.</summary>
/// <param name="Body">The main branch, at least one layer.</param>
/// <param name="Shortcut">The shortcut branch; default null, the identity.</param>
public sealed record Residual(IReadOnlyList<Layer> Body, IReadOnlyList<Layer>? Shortcut = null) : Layer
{
    private IReadOnlyList<Layer> ShortcutLayers => Shortcut ?? [];

    internal override TensorShape InferOutput(TensorShape input)
    {
        if (Body is not { Count: > 0 } || Body.Any(l => l is null) || ShortcutLayers.Any(l => l is null))
            throw Refuse(input, "the body needs at least one layer and no layer may be null");
        TensorShape body = Chain(Body, input, "body");
        TensorShape shortcut = Chain(ShortcutLayers, input, "shortcut");
        if (body != shortcut)
            throw Refuse(input, $"the body gives {body} but the shortcut gives {shortcut}; they must match to be added" +
                                (Shortcut is null ? " (add a projection shortcut)" : ""));
        return body;
    }

    internal override long ParameterCount(TensorShape input) => Count(Body, input) + Count(ShortcutLayers, input);

    internal override void Encode(ref NativeLayer native, TensorShape input)
    {
        native.Kind = (int)NativeLayerKind.Residual;
        native.Children = Body.Count;
        unsafe
        {
            native.I[0] = ShortcutLayers.Count;
        }
    }

    internal override void EncodeTo(List<NativeLayer> output, TensorShape input)
    {
        base.EncodeTo(output, input);
        foreach (var branch in new[] { Body, ShortcutLayers })
        {
            TensorShape shape = input;
            foreach (var layer in branch)
            {
                layer.EncodeTo(output, shape);
                shape = layer.InferOutput(shape);
            }
        }
    }

    private TensorShape Chain(IReadOnlyList<Layer> layers, TensorShape input, string branch)
    {
        TensorShape shape = input;
        for (int i = 0; i < layers.Count; i++)
        {
            try
            {
                shape = layers[i].InferOutput(shape);
            }
            catch (InvalidNetworkException e)
            {
                throw new InvalidNetworkException($"{this}, {branch} layer {i}: {e.Message}");
            }
        }
        return shape;
    }

    private static long Count(IReadOnlyList<Layer> layers, TensorShape input)
    {
        long total = 0;
        TensorShape shape = input;
        foreach (var layer in layers)
        {
            total += layer.ParameterCount(shape);
            shape = layer.InferOutput(shape);
        }
        return total;
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"Residual([{string.Join(", ", Body)}]{(Shortcut is { Count: > 0 } ? $" + [{string.Join(", ", Shortcut)}]" : " + identity")})";
}
