// DigitAnswer.cs — what POST /api/digits answers: the digit, its probability, the runner-up and all ten probabilities.
namespace DigitsML.WebApp;

/// <summary>The JSON answer, e.g. <c>{"digit":7,"probability":0.99,"runnerUp":{"digit":2,"probability":0.004},
/// "probabilities":[...]}</c>.</summary>
/// <param name="Digit">The model's answer.</param>
/// <param name="Probability">The model's probability for <paramref name="Digit"/>.</param>
/// <param name="RunnerUp">The most probable other digit.</param>
/// <param name="Probabilities">Ten probabilities, indexed by digit: <c>probabilities[3]</c> is the digit 3's.</param>
public sealed record DigitAnswer(int Digit, float Probability, DigitAnswer.Alternative RunnerUp, float[] Probabilities)
{
    /// <summary>A digit and its probability.</summary>
    public sealed record Alternative(int Digit, float Probability);
}
