// Dropout2d.cs — Zeroes whole channels with probability P while training and rescales the rest; does nothing in evaluation.
using DigitsML.Engine;
using DigitsML.Onnx.Graph;
using TorchSharp;
using static TorchSharp.torch;

namespace DigitsML.Networks;

/// <summary>Zeroes whole channels with probability P while training and rescales the rest; does nothing in evaluation.</summary>
/// <param name="P">Probability of zeroing; default 0.5 (PyTorch's).</param>
public sealed record Dropout2d(double P = 0.5) : Layer
{
    internal override TensorShape InferOutput(TensorShape input)
    {
        RequireImage(input);
        if (P < 0 || P >= 1)
            throw Refuse(input, $"the probability must be in [0, 1), got {P}");
        return input;
    }

    internal override nn.Module<Tensor, Tensor> CreateModule(TensorShape input, ModuleContext context) =>
        new SeededDropout(P, channelwise: true, context.Dropout);

    // Evaluation mode: no node, the input passes through.
    internal override string ExportOnnx(OnnxGraph graph, string input, TensorShape inputShape, string statePrefix) => input;

    /// <inheritdoc />
    public override string ToString() => $"Dropout2d({P})";
}
