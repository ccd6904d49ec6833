// Flatten.cs — Flattens an image (C, H, W) into a vector of C·H·W features, as a Linear layer needs.
using TorchSharp;
using static TorchSharp.torch;

namespace DigitsML.Engine;

/// <summary>Flattens an image (C, H, W) into a vector of C·H·W features, as a Linear layer needs.</summary>
public sealed record Flatten : Layer
{
    internal override TensorShape InferOutput(TensorShape input)
    {
        if (input.Rank == 1)
            return input;
        if (input.Elements > int.MaxValue)
            throw Refuse(input, $"{input.Elements:N0} features are more than a vector can hold ({int.MaxValue:N0})");
        return TensorShape.Vector((int)input.Elements);
    }

    internal override nn.Module<Tensor, Tensor> CreateModule(TensorShape input, ModuleContext context) =>
        nn.Flatten();

    /// <inheritdoc />
    public override string ToString() => "Flatten";
}
