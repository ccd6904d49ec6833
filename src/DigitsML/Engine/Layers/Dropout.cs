// Dropout.cs — Zeroes each value with probability P while training and rescales the rest; does nothing in evaluation.
using TorchSharp;
using static TorchSharp.torch;

namespace DigitsML.Engine;

/// <summary>Zeroes each value with probability P while training and rescales the rest; does nothing in evaluation.</summary>
/// <param name="P">Probability of zeroing; default 0.5 (PyTorch's).</param>
public sealed record Dropout(double P = 0.5) : Layer
{
    internal override TensorShape InferOutput(TensorShape input)
    {
        if (P < 0 || P >= 1)
            throw Refuse(input, $"the probability must be in [0, 1), got {P}");
        return input;
    }

    internal override nn.Module<Tensor, Tensor> CreateModule(TensorShape input, ModuleContext context) =>
        new SeededDropout(P, channelwise: false, context.Dropout);

    /// <inheritdoc />
    public override string ToString() => $"Dropout({P})";
}

/// <summary>Dropout (<paramref name="channelwise"/>: whole channels, as Dropout2d) drawing its masks from the
/// network's own generator with libtorch's bernoulli_, so CPU training repeats bit for bit from the seed.</summary>
internal sealed class SeededDropout(double p, bool channelwise, Generator generator) : nn.Module<Tensor, Tensor>(channelwise ? "Dropout2d" : "Dropout")
{
    public override Tensor forward(Tensor input)
    {
        if (!training || p == 0)
            return input.alias();
        // input: (N, C, H, W) or (N, F); the mask: (N, C, 1, 1) for whole channels, else the input's shape.
        long[] shape = channelwise ? [input.shape[0], input.shape[1], 1, 1] : input.shape;
        double keep = 1 - p;
        using var mask = empty(shape, input.dtype, input.device).bernoulli_(keep, generator).div_(keep);
        return input.mul(mask);
    }
}
