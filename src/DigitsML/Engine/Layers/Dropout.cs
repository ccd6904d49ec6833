// Dropout.cs — Zeroes each value with probability P while training and rescales the rest; does nothing in evaluation.
using DigitsML.Interop;

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

    internal override unsafe void Encode(ref NativeLayer native, TensorShape input)
    {
        native.Kind = (int)NativeLayerKind.Dropout;
        native.R[0] = P;
    }

    /// <inheritdoc />
    public override string ToString() => $"Dropout({P})";
}
