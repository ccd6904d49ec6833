// EvaluationResult.cs — loss, accuracy and probabilities of a network over a dataset.
namespace DigitsML.Engine;

/// <summary>Mean cross-entropy, accuracy and, when asked for, each example's class probabilities.</summary>
internal sealed record EvaluationResult(double Loss, double Accuracy, int Count, float[]? Probabilities);
