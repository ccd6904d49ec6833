// Residual.cs — a residual block: the sum of a body of layers and a shortcut (the identity, or a projection).
using DigitsML.Engine;
using DigitsML.Onnx.Graph;
using TorchSharp;
using static TorchSharp.torch;

namespace DigitsML.Networks;

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

    internal override nn.Module<Tensor, Tensor> CreateModule(TensorShape input, ModuleContext context) =>
        new ResidualModule(Branch(Body, input, context), ShortcutLayers.Count > 0 ? Branch(ShortcutLayers, input, context) : null);

    /// <summary>The branch's layers as a Sequential named "0", "1", ..., so state names read "3.body.0.weight".</summary>
    private static nn.Module<Tensor, Tensor> Branch(IReadOnlyList<Layer> layers, TensorShape input, ModuleContext context)
    {
        var modules = new List<(string, nn.Module<Tensor, Tensor>)>(layers.Count);
        TensorShape shape = input;
        for (int i = 0; i < layers.Count; i++)
        {
            modules.Add((i.ToString(System.Globalization.CultureInfo.InvariantCulture), layers[i].CreateModule(shape, context)));
            shape = layers[i].InferOutput(shape);
        }
        return nn.Sequential(modules);
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

    // The branches under "body." and "shortcut." as ResidualModule registers them, then their sum.
    internal override string ExportOnnx(OnnxGraph graph, string input, TensorShape inputShape, string statePrefix)
    {
        string body = ExportOnnxChain(Body, graph, input, inputShape, statePrefix + "body.");
        string shortcut = ExportOnnxChain(ShortcutLayers, graph, input, inputShape, statePrefix + "shortcut.");
        return graph.Node("Add", [body, shortcut], statePrefix);
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"Residual([{string.Join(", ", Body)}]{(Shortcut is { Count: > 0 } ? $" + [{string.Join(", ", Shortcut)}]" : " + identity")})";
}

/// <summary>y = body(x) + shortcut(x), the shortcut being the identity when null. Registered as "body" and "shortcut".</summary>
internal sealed class ResidualModule : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> body;
    private readonly nn.Module<Tensor, Tensor>? shortcut;

    public ResidualModule(nn.Module<Tensor, Tensor> body, nn.Module<Tensor, Tensor>? shortcut) : base("Residual")
    {
        this.body = body;
        this.shortcut = shortcut;
        register_module("body", body);
        if (shortcut is not null)
            register_module("shortcut", shortcut);
    }

    public override Tensor forward(Tensor input)
    {
        using var main = body.forward(input);
        if (shortcut is null)
            return main.add(input);
        using var projected = shortcut.forward(input);
        return main.add(projected);
    }
}
