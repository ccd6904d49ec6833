// ReLU.cs — Rectified linear unit: max(0, x).
using DigitsML.Engine;
using DigitsML.Onnx.Graph;
using TorchSharp;
using static TorchSharp.torch;

namespace DigitsML.Networks;

/// <summary>Rectified linear unit: max(0, x).</summary>
public sealed record ReLU : Layer
{
    internal override TensorShape InferOutput(TensorShape input) => input;

    internal override nn.Module<Tensor, Tensor> CreateModule(TensorShape input, ModuleContext context) =>
        nn.ReLU();

    internal override string ExportOnnx(OnnxGraph graph, string input, TensorShape inputShape, string statePrefix) =>
        graph.Node("Relu", [input], statePrefix);

    /// <inheritdoc />
    public override string ToString() => "ReLU";
}
