// DigitPrediction.cs — what the model says about one image.
using DigitsML.Data;

namespace QuickStart;

/// <summary>The predicted digit (PredictedLabel mapped back to its value) and the probability of each digit.</summary>
public sealed class DigitPrediction
{
    /// <summary>The most probable digit.</summary>
    [ColumnName("PredictedLabel")]
    public float Digit { get; set; }

    /// <summary>Probabilities of 0..9, in key-value order.</summary>
    public float[] Score { get; set; } = [];
}
