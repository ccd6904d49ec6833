// FrameDecoderTests.cs — CTC's greedy path over a line reader's frames: repeats joined, blanks dropped, a blank between
// two equal digits keeping both, confidences and frame spans, and what the decoder refuses.
namespace DigitsML.Scoring.Tests.Reading;

[TestFixture]
public class FrameDecoderTests
{
    /// <summary>Frames whose best class is each of <paramref name="classes"/> (0 blank, 1 + d digit d) at <paramref name="p"/>.</summary>
    private static float[] Frames(float p, params int[] classes)
    {
        var frames = new float[classes.Length * FrameDecoder.Classes];
        for (int t = 0; t < classes.Length; t++)
            for (int c = 0; c < FrameDecoder.Classes; c++)
                frames[t * FrameDecoder.Classes + c] = c == classes[t] ? p : (1 - p) / (FrameDecoder.Classes - 1);
        return frames;
    }

    [Test]
    public void Greedy_RepeatsJoinedBlanksDropped()
    {
        var digits = FrameDecoder.Greedy(Frames(0.9f, 0, 4, 4, 0, 8, 0, 0, 1));
        Assert.That(digits.Select(d => d.Value), Is.EqualTo(new[] { 3, 7, 0 }));
        Assert.That(digits.Select(d => (d.FirstFrame, d.LastFrame)), Is.EqualTo(new[] { (1, 2), (4, 4), (7, 7) }));
    }

    [Test]
    public void Greedy_BlankBetweenEqualDigits_KeepsBoth()
    {
        Assert.That(FrameDecoder.Greedy(Frames(0.8f, 2, 2, 0, 2)).Select(d => d.Value), Is.EqualTo(new[] { 1, 1 }));
    }

    [Test]
    public void Greedy_Confidence_IsTheDigitsBestFrame()
    {
        var frames = Frames(0.6f, 6, 6);
        frames[FrameDecoder.Classes + 6] = 0.95f;
        Assert.That(FrameDecoder.Greedy(frames).Single().Confidence, Is.EqualTo(0.95f));
    }

    [Test]
    public void Greedy_OnlyBlanks_NoDigits()
    {
        Assert.That(FrameDecoder.Greedy(Frames(0.99f, 0, 0, 0)), Is.Empty);
        Assert.That(FrameDecoder.Greedy([]), Is.Empty);
    }

    [Test]
    public void Greedy_NotWholeFrames_Refused()
    {
        var e = Assert.Throws<ArgumentException>(() => FrameDecoder.Greedy(new float[FrameDecoder.Classes + 3]));
        Assert.That(e!.Message, Does.Contain("not a whole number"));
    }

    [Test]
    public void MissedDigit_HighestDigitWhereBlankWon()
    {
        var frames = Frames(0.9f, 0, 3, 0);
        frames[2 * FrameDecoder.Classes + 0] = 0.55f;
        frames[2 * FrameDecoder.Classes + 5] = 0.45f;
        Assert.That(FrameDecoder.MissedDigit(frames), Is.EqualTo(0.45f));
        Assert.That(FrameDecoder.MissedDigit(Frames(0.99f, 0, 0)), Is.LessThan(0.01f));
    }
}
