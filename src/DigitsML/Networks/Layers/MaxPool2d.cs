// MaxPool2d.cs — 2-D pooling that keeps the maximum of each window.
using DigitsML.Engine;
using DigitsML.Onnx.Graph;
using TorchSharp;
using static TorchSharp.torch;

namespace DigitsML.Networks;

/// <summary>2-D pooling keeping the maximum of each square window.</summary>
/// <param name="KernelSize">Window side in pixels.</param>
/// <param name="Stride">Step between windows; default null, meaning the kernel size (PyTorch's default).</param>
/// <param name="Padding">Implicit padding on each side; default 0; at most half the kernel.</param>
public sealed record MaxPool2d(int KernelSize, int? Stride = null, int Padding = 0) : Layer
{
    private int EffectiveStride => Stride ?? KernelSize;

    internal override TensorShape InferOutput(TensorShape input)
    {
        RequireImage(input);
        if (KernelSize < 1 || EffectiveStride < 1 || Padding < 0 || Padding > KernelSize / 2)
            throw Refuse(input, "kernel and stride must be positive and padding between 0 and half the kernel");
        return TensorShape.Image(input.Channels,
            WindowOutput(input, input.Height, KernelSize, EffectiveStride, Padding, "height"),
            WindowOutput(input, input.Width, KernelSize, EffectiveStride, Padding, "width"));
    }

    internal override nn.Module<Tensor, Tensor> CreateModule(TensorShape input, ModuleContext context) =>
        nn.MaxPool2d(KernelSize, EffectiveStride, Padding);

    // ONNX's MaxPool, like PyTorch's, never takes a padded position as the maximum.
    internal override string ExportOnnx(OnnxGraph graph, string input, TensorShape inputShape, string statePrefix) =>
        graph.Node("MaxPool", [input], statePrefix, OnnxGraph.Window2d(KernelSize, EffectiveStride, Padding));

    /// <inheritdoc />
    public override string ToString() => $"MaxPool2d({KernelSize}{(Stride is int s && s != KernelSize ? $", stride {s}" : "")})";
}
