// Sigmoid.cs — Logistic sigmoid: 1 / (1 + e^-x).
using TorchSharp;
using static TorchSharp.torch;

namespace DigitsML.Engine;

/// <summary>Logistic sigmoid: 1 / (1 + e^-x).</summary>
public sealed record Sigmoid : Layer
{
    internal override TensorShape InferOutput(TensorShape input) => input;

    internal override nn.Module<Tensor, Tensor> CreateModule(TensorShape input, ModuleContext context) =>
        nn.Sigmoid();

    /// <inheritdoc />
    public override string ToString() => "Sigmoid";
}
