// NamedTensor.cs — a float tensor copied out of (or into) a network, by its PyTorch state name.
namespace DigitsML.Engine;

/// <summary>A named float32 tensor in row-major order, as in a PyTorch state dict ("0.weight", "3.running_mean").</summary>
internal sealed record NamedTensor(string Name, int[] Shape, float[] Data)
{
    /// <summary>Number of values the shape holds.</summary>
    public long Elements => Shape.Aggregate(1L, (a, d) => a * d);

    /// <summary>The shape as "(a, b, c)".</summary>
    public string ShapeText => $"({string.Join(", ", Shape)})";
}
