// Conv2d.cs — a 2-D convolution over square windows.
using DigitsML.Engine;
using DigitsML.Onnx.Graph;
using TorchSharp;
using static TorchSharp.torch;

namespace DigitsML.Networks;

/// <summary>2-D convolution to <paramref name="OutChannels"/> channels with a square kernel.</summary>
/// <param name="OutChannels">Output channels.</param>
/// <param name="KernelSize">Kernel side in pixels.</param>
/// <param name="Stride">Step between windows; default 1.</param>
/// <param name="Padding">Zero padding on each side; default 0.</param>
/// <param name="Bias">Whether the layer adds a bias per channel; default true.</param>
public sealed record Conv2d(int OutChannels, int KernelSize, int Stride = 1, int Padding = 0, bool Bias = true) : Layer
{
    internal override TensorShape InferOutput(TensorShape input)
    {
        RequireImage(input);
        if (OutChannels < 1 || KernelSize < 1 || Stride < 1 || Padding < 0)
            throw Refuse(input, "channels, kernel and stride must be positive and padding not negative");
        return TensorShape.Image(OutChannels,
            WindowOutput(input, input.Height, KernelSize, Stride, Padding, "height"),
            WindowOutput(input, input.Width, KernelSize, Stride, Padding, "width"));
    }

    internal override long ParameterCount(TensorShape input) =>
        (long)OutChannels * input.Channels * KernelSize * KernelSize + (Bias ? OutChannels : 0);

    internal override nn.Module<Tensor, Tensor> CreateModule(TensorShape input, ModuleContext context) =>
        nn.Conv2d(input.Channels, OutChannels, KernelSize, stride: Stride, padding: Padding, bias: Bias);

    internal override string ExportOnnx(OnnxGraph graph, string input, TensorShape inputShape, string statePrefix) =>
        graph.Node("Conv",
            Bias ? [input, graph.Weight(statePrefix + "weight"), graph.Weight(statePrefix + "bias")] : [input, graph.Weight(statePrefix + "weight")],
            statePrefix, OnnxGraph.Window2d(KernelSize, Stride, Padding));

    /// <inheritdoc />
    public override string ToString() =>
        $"Conv2d({OutChannels}, {KernelSize}×{KernelSize}{(Stride != 1 ? $", stride {Stride}" : "")}{(Padding != 0 ? $", padding {Padding}" : "")}{(Bias ? "" : ", no bias")})";
}
