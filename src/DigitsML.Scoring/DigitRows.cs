// DigitRows.cs — ready-made row classes for prediction engines over a model trained on LoadFromIdx's columns.
using Microsoft.ML.Data;

namespace DigitsML;

/// <summary>One MNIST-style image, as <c>ml.Data.LoadFromIdx</c> and <c>NormalizeDigit</c> give it.</summary>
public sealed class DigitInput
{
    /// <summary>The digit, when known (a prediction engine ignores it).</summary>
    public float Label { get; set; }

    /// <summary>28 × 28 grey levels in [0, 1], row by row, ink bright (MNIST's polarity).</summary>
    [VectorType(1, 28, 28)]
    public float[] Features { get; set; } = new float[28 * 28];
}

/// <summary>What a model trained with <c>MapValueToKey("Label")</c> … <c>MapKeyToValue("PredictedLabel")</c> predicts.</summary>
public sealed class DigitPrediction
{
    /// <summary>The predicted digit (the label's value).</summary>
    public float PredictedLabel { get; set; }

    /// <summary>The probability of each class, in the label's key order (the digits 0 to 9 for MNIST).</summary>
    public float[] Score { get; set; } = [];
}
