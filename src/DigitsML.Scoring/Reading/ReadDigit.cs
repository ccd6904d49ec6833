// ReadDigit.cs — one digit of a number read by NumberReader: what the model says it is, how sure, and where it is.
namespace DigitsML;

/// <summary>One digit of a <see cref="NumberReading"/>, left to right.</summary>
/// <param name="Value">The model's most probable class (the class's name, "0" … "9" for MNIST models).</param>
/// <param name="Confidence">The model's probability of <paramref name="Value"/> (its <c>Score</c> at that class), in [0, 1].</param>
/// <param name="Box">Where the digit's ink is in the image.</param>
/// <param name="Uncertain">True when <paramref name="Confidence"/> is below <see cref="ReadingOptions.UncertainBelow"/>:
/// the digit is shown as <see cref="ReadingOptions.UncertainMark"/> in <see cref="NumberReading.MarkedText"/>.</param>
public sealed record ReadDigit(string Value, float Confidence, DigitBox Box, bool Uncertain);
