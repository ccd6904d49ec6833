// DigitScores.cs — one answer of a DigitClassifier: the class, its probability, the runner-up and every class's probability.
using System.Globalization;

namespace DigitsML;

/// <summary>What a <see cref="DigitClassifier"/> says about one image: the model's own answer (its <c>PredictedLabel</c>),
/// the probability the model gives it, the most probable other class, and the probability of every class in the order of
/// <see cref="Classes"/> (for the ten digits, <c>Probabilities[3]</c> is the digit 3's, whatever order the model keeps its
/// classes in).</summary>
/// <param name="Class">The model's answer, as the class's name ("7").</param>
/// <param name="Probability">The model's probability of <paramref name="Class"/> (its <c>Score</c> there), in [0, 1].</param>
/// <param name="RunnerUp">The most probable class other than <paramref name="Class"/> (the first in class order on a tie);
/// null for a model of one class.</param>
/// <param name="RunnerUpProbability">The probability of <paramref name="RunnerUp"/>; 0 when there is none.</param>
/// <param name="Classes">The model's classes, in the order <see cref="DigitClassifier.Classes"/> gives them.</param>
/// <param name="Probabilities">One probability per class of <paramref name="Classes"/>, in the same order.</param>
public sealed record DigitScores(string Class, float Probability, string? RunnerUp, float RunnerUpProbability,
    IReadOnlyList<string> Classes, IReadOnlyList<float> Probabilities)
{
    /// <summary><see cref="Class"/> as a whole number (the digit), or null when the class's name is not one.</summary>
    public int? Digit => AsNumber(Class);

    /// <summary><see cref="RunnerUp"/> as a whole number, or null when there is none or its name is not one.</summary>
    public int? RunnerUpDigit => RunnerUp is null ? null : AsNumber(RunnerUp);

    /// <summary>The probability of <paramref name="className"/>.</summary>
    /// <exception cref="KeyNotFoundException">The model has no such class.</exception>
    public float ProbabilityOf(string className)
    {
        for (int i = 0; i < Classes.Count; i++)
            if (Classes[i] == className)
                return Probabilities[i];
        throw new KeyNotFoundException($"The model has no class '{className}'; its classes are {string.Join(", ", Classes)}.");
    }

    private static int? AsNumber(string name) =>
        int.TryParse(name, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value) ? value : null;
}
