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
    public bool IsCertain => Digits.Count > 0 && Digits.All(d => !d.Uncertain) && !MayMissADigit;

    /// <summary>True when the line reader nearly read a digit where it read none: at some frame a digit's probability was
    /// above 1 − <see cref="ReadingOptions.UncertainBelow"/> (the reader was less sure than that of the gap). Such a
    /// reading is not <see cref="IsCertain"/> even when every digit read is. Always false for the cutting reader.</summary>
    public bool MayMissADigit { get; init; }

    /// <summary>True when there are no digits because the image itself could not be read: no bytes, not an image of the
    /// formats read, damaged, or too large (a service answers the client's error, 400); false when it decoded and holds no
    /// number (blank, specks, noise: 422).</summary>
    public bool Unreadable { get; init; }

    /// <summary>For a line reader: the highest probability a digit had where the reader saw none (0 to 1; 0 for the
    /// cutting reader). High means a digit may have been left out.</summary>
    public float MissedDigit { get; init; }

    /// <summary>A reading without digits, for <paramref name="reason"/>.</summary>
    public static NumberReading Empty(string reason) => new() { Digits = [], Reason = reason };

    /// <summary>A reading without digits because the image could not be read (<see cref="Unreadable"/>), for <paramref name="reason"/>.</summary>
    internal static NumberReading UnreadableImage(string reason) => new() { Digits = [], Reason = reason, Unreadable = true };

    /// <summary>How many of the digits of <paramref name="written"/> this reading got wrong: the edit distance between the
    /// two (a digit missed, added or misread costs one), at most the digits written. 1 − errors / digits written is the
    /// per-digit accuracy docs/reading.md reports.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="written"/> is null.</exception>
    public int DigitErrors(string written)
    {
        ArgumentNullException.ThrowIfNull(written);
        return Math.Min(written.Length, EditDistance(written, Text));
    }

    /// <summary>The edit distance between two strings: insertions, deletions and substitutions, one each.</summary>
    public static int EditDistance(string written, string read)
    {
        ArgumentNullException.ThrowIfNull(written);
        ArgumentNullException.ThrowIfNull(read);
        var row = Enumerable.Range(0, read.Length + 1).ToArray();
        for (int i = 1; i <= written.Length; i++)
        {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= read.Length; j++)
            {
                int next = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (written[i - 1] == read[j - 1] ? 0 : 1));
                diagonal = row[j];
                row[j] = next;
            }
        }
        return row[read.Length];
    }
}
