// Tanh.cs — Hyperbolic tangent.
using DigitsML.Interop;

namespace DigitsML.Engine;

/// <summary>Hyperbolic tangent.</summary>
public sealed record Tanh : Layer
{
    internal override TensorShape InferOutput(TensorShape input) => input;

    internal override void Encode(ref NativeLayer native, TensorShape input) => native.Kind = (int)NativeLayerKind.Tanh;

    /// <inheritdoc />
    public override string ToString() => "Tanh";
}
