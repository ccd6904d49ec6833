// Flatten.cs — Flattens an image (C, H, W) into a vector of C·H·W features, as a Linear layer needs.
using DigitsML.Engine;
using DigitsML.Onnx.Graph;
using TorchSharp;
using static TorchSharp.torch;

namespace DigitsML.Networks;

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

    // A flat (N, F) input stays as it is, as nn.Flatten leaves it.
    internal override string ExportOnnx(OnnxGraph graph, string input, TensorShape inputShape, string statePrefix) =>
        inputShape.Rank == 1 ? input : graph.Node("Flatten", [input], statePrefix, OnnxGraph.Int("axis", 1));

    /// <inheritdoc />
    public override string ToString() => "Flatten";
}
