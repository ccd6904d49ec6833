// LeakyReLU.cs — a rectifier that lets a small slope through below zero.
using DigitsML.Engine;
using DigitsML.Onnx.Graph;
using TorchSharp;
using static TorchSharp.torch;

namespace DigitsML.Networks;

/// <summary>Leaky rectifier: x for x ≥ 0, <paramref name="NegativeSlope"/>·x below.</summary>
/// <param name="NegativeSlope">Slope below zero; default 0.01 (PyTorch's).</param>
public sealed record LeakyReLU(double NegativeSlope = 0.01) : Layer
{
    internal override TensorShape InferOutput(TensorShape input) => input;

    internal override nn.Module<Tensor, Tensor> CreateModule(TensorShape input, ModuleContext context) =>
        nn.LeakyReLU(NegativeSlope);

    internal override string ExportOnnx(OnnxGraph graph, string input, TensorShape inputShape, string statePrefix) =>
        graph.Node("LeakyRelu", [input], statePrefix, OnnxGraph.Float("alpha", (float)NegativeSlope));

    /// <inheritdoc />
    public override string ToString() => $"LeakyReLU({NegativeSlope})";
}
