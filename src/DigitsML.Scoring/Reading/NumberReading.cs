// NumberReading.cs — what NumberReader makes of one image: the number, each digit with its confidence and box, or why none.
namespace DigitsML;

/// <summary>The number read from one image. <see cref="Text"/> is the model's best guess for every digit;
/// <see cref="MarkedText"/> shows the uncertain ones as <see cref="ReadingOptions.UncertainMark"/>, so that nothing the
/// model was unsure of passes as read. An image in which no digit was found (undecodable, blank, no ink) gives an empty
/// reading: no digits, and <see cref="Reason"/> says why in one line.</summary>
public sealed record NumberReading
{
    /// <summary>The digits, left to right.</summary>
    public required IReadOnlyList<ReadDigit> Digits { get; init; }

    /// <summary>Why there are no digits (null when there are): "no ink found", or what is wrong with the image.</summary>
    public string? Reason { get; init; }

    /// <summary>The character put for an uncertain digit in <see cref="MarkedText"/>.</summary>
    public char UncertainMark { get; init; } = ReadingOptions.DefaultUncertainMark;

    /// <summary>Every digit's value, left to right, uncertain ones included ("" when none were found).</summary>
    public string Text => string.Concat(Digits.Select(d => d.Value));

    /// <summary>The digits' values with each uncertain digit replaced by <see cref="UncertainMark"/>, e.g. "12?4".</summary>
    public string MarkedText => string.Concat(Digits.Select(d => d.Uncertain ? UncertainMark.ToString() : d.Value));

    /// <summary>Each digit's confidence, left to right.</summary>
    public float[] Confidences => [.. Digits.Select(d => d.Confidence)];

    /// <summary>True when at least one digit was found and none is uncertain.</summary>
    public bool IsCertain => Digits.Count > 0 && Digits.All(d => !d.Uncertain);

    /// <summary>A reading without digits, for <paramref name="reason"/>.</summary>
    public static NumberReading Empty(string reason) => new() { Digits = [], Reason = reason };
}
