// Linear.cs — a fully connected layer.
using DigitsML.Engine;
using DigitsML.Onnx.Graph;
using TorchSharp;
using static TorchSharp.torch;

namespace DigitsML.Networks;

/// <summary>Fully connected layer to <paramref name="OutFeatures"/> outputs; its input must be flat.</summary>
/// <param name="OutFeatures">Output features.</param>
/// <param name="Bias">Whether the layer adds a bias; default true.</param>
public sealed record Linear(int OutFeatures, bool Bias = true) : Layer
{
    internal override TensorShape InferOutput(TensorShape input)
    {
        RequireVector(input);
        if (OutFeatures < 1)
            throw Refuse(input, "output features must be positive");
        return TensorShape.Vector(OutFeatures);
    }

    internal override long ParameterCount(TensorShape input) =>
        (long)input.Channels * OutFeatures + (Bias ? OutFeatures : 0);

    internal override nn.Module<Tensor, Tensor> CreateModule(TensorShape input, ModuleContext context) =>
        nn.Linear(input.Channels, OutFeatures, hasBias: Bias);

    // y = x·Wᵀ + b as Gemm with transB, reading PyTorch's (out, in) weight as it is; Gemm's C is optional without bias.
    internal override string ExportOnnx(OnnxGraph graph, string input, TensorShape inputShape, string statePrefix) =>
        graph.Node("Gemm",
            Bias ? [input, graph.Weight(statePrefix + "weight"), graph.Weight(statePrefix + "bias")] : [input, graph.Weight(statePrefix + "weight")],
            statePrefix, OnnxGraph.Int("transB", 1));

    /// <inheritdoc />
    public override string ToString() => $"Linear({OutFeatures}{(Bias ? "" : ", no bias")})";
}
