// Sigmoid.cs — Logistic sigmoid: 1 / (1 + e^-x).
using DigitsML.Engine;
using DigitsML.Onnx.Graph;
using TorchSharp;
using static TorchSharp.torch;

namespace DigitsML.Networks;

/// <summary>Logistic sigmoid: 1 / (1 + e^-x).</summary>
public sealed record Sigmoid : Layer
{
    internal override TensorShape InferOutput(TensorShape input) => input;

    internal override nn.Module<Tensor, Tensor> CreateModule(TensorShape input, ModuleContext context) =>
        nn.Sigmoid();

    internal override string ExportOnnx(OnnxGraph graph, string input, TensorShape inputShape, string statePrefix) =>
        graph.Node("Sigmoid", [input], statePrefix);

    /// <inheritdoc />
    public override string ToString() => "Sigmoid";
}
