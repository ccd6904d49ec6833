// NumberAnswer.cs — what POST /api/numbers answers: the number (uncertain digits marked), each digit with its confidence
// and box, and which reader read it.
namespace DigitsML.WebApp;

/// <summary>The JSON answer, e.g. <c>{"number":"4?7","text":"417","certain":false,"digits":[{"value":4,"confidence":0.98,
/// "box":{"x":3,"y":2,"width":25,"height":30},"uncertain":false}, ...],"missedDigit":0.01,"reader":{...}}</c>.</summary>
/// <param name="Number">The digits with each uncertain one as '?' (<see cref="NumberReading.MarkedText"/>).</param>
/// <param name="Text">Every digit's value, uncertain ones included (<see cref="NumberReading.Text"/>).</param>
/// <param name="Certain">True when no digit is uncertain.</param>
/// <param name="Digits">The digits, left to right.</param>
/// <param name="MissedDigit">The highest probability of a digit where the reader saw none (high: one may be missing).</param>
/// <param name="UncertainBelow">The confidence threshold used.</param>
/// <param name="Reader">The reader that read it.</param>
public sealed record NumberAnswer(string Number, string Text, bool Certain, NumberAnswer.Digit[] Digits, float MissedDigit,
    float UncertainBelow, NumberAnswer.ReaderInfo Reader)
{
    /// <summary>One digit: its value, the reader's confidence, where it is in the image (pixels), and whether it is uncertain.</summary>
    public sealed record Digit(int Value, float Confidence, DigitBox Box, bool Uncertain);

    /// <summary>The reader's file name (no folder), SHA-256 and version, as /health gives them.</summary>
    public sealed record ReaderInfo(string Model, string Sha256, int Version);

    /// <summary>The answer for a reading with digits.</summary>
    public static NumberAnswer From(NumberReading reading, float uncertainBelow, ReaderModel reader) => new(
        reading.MarkedText, reading.Text, reading.IsCertain,
        [.. reading.Digits.Select(d => new Digit(int.Parse(d.Value, System.Globalization.CultureInfo.InvariantCulture), d.Confidence, d.Box, d.Uncertain))],
        reading.MissedDigit, uncertainBelow, new ReaderInfo(reader.FileName, reader.Sha256, reader.Version));
}
