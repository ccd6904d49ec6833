// Tanh.cs — Hyperbolic tangent.
using TorchSharp;
using static TorchSharp.torch;

namespace DigitsML.Engine;

/// <summary>Hyperbolic tangent.</summary>
public sealed record Tanh : Layer
{
    internal override TensorShape InferOutput(TensorShape input) => input;

    internal override nn.Module<Tensor, Tensor> CreateModule(TensorShape input, ModuleContext context) =>
        nn.Tanh();

    /// <inheritdoc />
    public override string ToString() => "Tanh";
}
