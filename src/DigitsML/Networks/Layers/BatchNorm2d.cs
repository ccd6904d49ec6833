// BatchNorm2d.cs — batch normalisation over the channels of an image.
using DigitsML.Engine;
using DigitsML.Onnx.Graph;
using TorchSharp;
using static TorchSharp.torch;

namespace DigitsML.Networks;

/// <summary>Batch normalisation per channel of an image, with a learned scale and shift.</summary>
/// <param name="Epsilon">Added to the variance; default 1e-5 (PyTorch's).</param>
/// <param name="Momentum">Weight of each batch in the running statistics; default 0.1 (PyTorch's).</param>
public sealed record BatchNorm2d(double Epsilon = 1e-5, double Momentum = 0.1) : Layer
{
    internal override TensorShape InferOutput(TensorShape input)
    {
        RequireImage(input);
        return input;
    }

    internal override long ParameterCount(TensorShape input) => 2L * input.Channels;

    internal override nn.Module<Tensor, Tensor> CreateModule(TensorShape input, ModuleContext context) =>
        nn.BatchNorm2d(input.Channels, eps: Epsilon, momentum: Momentum);

    internal override string ExportOnnx(OnnxGraph graph, string input, TensorShape inputShape, string statePrefix) =>
        ExportBatchNormalization(graph, input, statePrefix, Epsilon);

    /// <summary>ONNX's BatchNormalization in inference mode: (x − running_mean) / √(running_var + ε) · weight + bias per
    /// channel of (N, C, H, W) or feature of (N, F); BatchNorm1d exports the same node.</summary>
    internal static string ExportBatchNormalization(OnnxGraph graph, string input, string statePrefix, double epsilon) =>
        graph.Node("BatchNormalization",
            [input, graph.Weight(statePrefix + "weight"), graph.Weight(statePrefix + "bias"),
             graph.Weight(statePrefix + "running_mean"), graph.Weight(statePrefix + "running_var")],
            statePrefix, OnnxGraph.Float("epsilon", (float)epsilon));

    /// <inheritdoc />
    public override string ToString() => "BatchNorm2d";
}
