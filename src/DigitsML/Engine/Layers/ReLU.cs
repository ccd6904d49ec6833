// ReLU.cs — Rectified linear unit: max(0, x).
using DigitsML.Interop;

namespace DigitsML.Engine;

/// <summary>Rectified linear unit: max(0, x).</summary>
public sealed record ReLU : Layer
{
    internal override TensorShape InferOutput(TensorShape input) => input;

    internal override void Encode(ref NativeLayer native, TensorShape input) => native.Kind = (int)NativeLayerKind.ReLU;

    /// <inheritdoc />
    public override string ToString() => "ReLU";
}
