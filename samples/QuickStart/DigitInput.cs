// DigitInput.cs — one MNIST image as the model takes it: the columns LoadFromIdx gives.
using DigitsML.Data;

namespace QuickStart;

/// <summary>An image and its digit. The label is read by the model's MapValueToKey step but not used to predict.</summary>
public sealed class DigitInput
{
    /// <summary>The digit, 0..9.</summary>
    public float Label { get; set; }

    /// <summary>28 × 28 pixels in [0, 1], row by row.</summary>
    [VectorType(1, 28, 28)]
    public float[] Features { get; set; } = [];
}
