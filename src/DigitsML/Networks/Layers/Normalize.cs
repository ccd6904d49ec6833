// Normalize.cs — the input normalisation an architecture expects, kept inside the network
// so that a saved model carries it.
using DigitsML.Engine;
using DigitsML.Onnx.Graph;
using TorchSharp;
using static TorchSharp.torch;

namespace DigitsML.Networks;

/// <summary>y = (x − <paramref name="Mean"/>) / <paramref name="Std"/>. With pixels in [0, 1], (0.1307, 0.3081)
/// standardises MNIST and (0.5, 0.5) maps to [−1, 1].</summary>
/// <param name="Mean">Subtracted from every value.</param>
/// <param name="Std">Divides every value; must not be zero.</param>
public sealed record Normalize(double Mean, double Std) : Layer
{
    internal override TensorShape InferOutput(TensorShape input)
    {
        if (Std == 0 || !double.IsFinite(Std) || !double.IsFinite(Mean))
            throw Refuse(input, "mean and std must be finite and std not zero");
        return input;
    }

    internal override nn.Module<Tensor, Tensor> CreateModule(TensorShape input, ModuleContext context) =>
        new NormalizeModule(Mean, Std);

    // Sub then Div by scalars, as NormalizeModule computes it in float32.
    internal override string ExportOnnx(OnnxGraph graph, string input, TensorShape inputShape, string statePrefix)
    {
        string centred = graph.Node("Sub", [input, graph.Scalar(statePrefix + "mean", (float)Mean)], statePrefix);
        return graph.Node("Div", [centred, graph.Scalar(statePrefix + "std", (float)Std)], statePrefix);
    }

    /// <inheritdoc />
    public override string ToString() => $"Normalize({Mean}, {Std})";
}

/// <summary>y = (x − mean) / std, without parameters.</summary>
internal sealed class NormalizeModule(double mean, double std) : nn.Module<Tensor, Tensor>("Normalize")
{
    public override Tensor forward(Tensor input)
    {
        using var centred = input.sub(mean);
        return centred.div(std);
    }
}
