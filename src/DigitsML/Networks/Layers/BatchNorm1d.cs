// BatchNorm1d.cs — batch normalisation over the features of a flat vector.
using DigitsML.Engine;
using DigitsML.Onnx.Graph;
using TorchSharp;
using static TorchSharp.torch;

namespace DigitsML.Networks;

/// <summary>Batch normalisation per feature of a flat vector, with a learned scale and shift.</summary>
/// <param name="Epsilon">Added to the variance; default 1e-5 (PyTorch's).</param>
/// <param name="Momentum">Weight of each batch in the running statistics; default 0.1 (PyTorch's).</param>
public sealed record BatchNorm1d(double Epsilon = 1e-5, double Momentum = 0.1) : Layer
{
    internal override TensorShape InferOutput(TensorShape input)
    {
        RequireVector(input);
        return input;
    }

    internal override long ParameterCount(TensorShape input) => 2L * input.Channels;

    internal override nn.Module<Tensor, Tensor> CreateModule(TensorShape input, ModuleContext context) =>
        nn.BatchNorm1d(input.Channels, eps: Epsilon, momentum: Momentum);

    internal override string ExportOnnx(OnnxGraph graph, string input, TensorShape inputShape, string statePrefix) =>
        BatchNorm2d.ExportBatchNormalization(graph, input, statePrefix, Epsilon);

    /// <inheritdoc />
    public override string ToString() => "BatchNorm1d";
}
