// Sigmoid.cs — Logistic sigmoid: 1 / (1 + e^-x).
using DigitsML.Interop;

namespace DigitsML.Engine;

/// <summary>Logistic sigmoid: 1 / (1 + e^-x).</summary>
public sealed record Sigmoid : Layer
{
    internal override TensorShape InferOutput(TensorShape input) => input;

    internal override void Encode(ref NativeLayer native, TensorShape input) => native.Kind = (int)NativeLayerKind.Sigmoid;

    /// <inheritdoc />
    public override string ToString() => "Sigmoid";
}
