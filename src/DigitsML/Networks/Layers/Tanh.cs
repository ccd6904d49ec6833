// Tanh.cs — Hyperbolic tangent.
using DigitsML.Engine;
using DigitsML.Onnx.Graph;
using TorchSharp;
using static TorchSharp.torch;

namespace DigitsML.Networks;

/// <summary>Hyperbolic tangent.</summary>
public sealed record Tanh : Layer
{
    internal override TensorShape InferOutput(TensorShape input) => input;

    internal override nn.Module<Tensor, Tensor> CreateModule(TensorShape input, ModuleContext context) =>
        nn.Tanh();

    internal override string ExportOnnx(OnnxGraph graph, string input, TensorShape inputShape, string statePrefix) =>
        graph.Node("Tanh", [input], statePrefix);

    /// <inheritdoc />
    public override string ToString() => "Tanh";
}
