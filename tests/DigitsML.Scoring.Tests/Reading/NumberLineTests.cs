// NumberLineTests.cs — the strip a line reader reads: found around the digits, NumberLine.Height rows tall, paper 0 and
// ink near 1, a form box's sides not stretching the band, and the images that give none (blank, noise, too long).
using DigitsML.Imaging;

namespace DigitsML.Scoring.Tests.Reading;

[TestFixture]
public class NumberLineTests
{
    /// <summary>Light paper with dark rectangles ("digits") of the given height at the given columns.</summary>
    private static float[] Paper(int w, int h, int top, int height, params int[] lefts)
    {
        var gray = Enumerable.Repeat(0.9f, w * h).ToArray();
        foreach (int left in lefts)
            for (int y = top; y < top + height; y++)
                for (int x = left; x < left + height / 2; x++)
                    if (x == left || x == left + height / 2 - 1 || y == top || y == top + height - 1)
                        gray[y * w + x] = 0.1f;
        return gray;
    }

    [Test]
    public void FromGray_Digits_StripAroundThemAtTheReadersHeight()
    {
        var line = NumberLine.FromGray(300, 100, Paper(300, 100, 30, 40, 50, 100, 150), DigitInk.Auto, out string? problem);
        Assert.That(problem, Is.Null);
        Assert.That(line!.Pixels, Has.Length.EqualTo(NumberLine.Height * line.Width));
        // The band is the digits' 40 rows and a fifth of a digit above and below: 56 rows to 32.
        Assert.That(line.Scale, Is.EqualTo(32f / 56).Within(1e-3));
        Assert.That(line.Top, Is.EqualTo(22).Within(0.01));
        Assert.That(line.Pixels.Max(), Is.GreaterThan(0.5f), "ink stands out (a 1-pixel stroke scaled by 32/56 is diluted)");
        Assert.That(line.Pixels.Take(line.Width).Max(), Is.LessThan(0.05f), "the top row is paper");
    }

    [Test]
    public void FromGray_SameImage_SameStrip()
    {
        var gray = Paper(200, 80, 20, 30, 40, 90);
        var a = NumberLine.FromGray(200, 80, gray, DigitInk.Auto, out _)!;
        var b = NumberLine.FromGray(200, 80, gray, DigitInk.Auto, out _)!;
        Assert.That(b.Pixels, Is.EqualTo(a.Pixels));
    }

    [Test]
    public void FromGray_BoxTallerThanTheDigits_DoesNotStretchTheBand()
    {
        var gray = Paper(300, 160, 60, 40, 80, 130, 180);
        for (int y = 10; y < 150; y++)  // a form box's sides, 140 rows: 3.5 digit heights
        {
            gray[y * 300 + 40] = 0.1f;
            gray[y * 300 + 260] = 0.1f;
        }
        var line = NumberLine.FromGray(300, 160, gray, DigitInk.Auto, out _)!;
        Assert.That(line.Top, Is.EqualTo(52).Within(0.01), "the band is the digits', not the box's");
    }

    [Test]
    public void FromGray_Blank_NullWithReason()
    {
        Assert.That(NumberLine.FromGray(50, 50, Enumerable.Repeat(0.8f, 2500).ToArray(), DigitInk.Auto, out string? problem), Is.Null);
        Assert.That(problem, Does.Contain("no ink"));
    }

    [Test]
    public void FromGray_Noise_NullWithReason()
    {
        var rng = new Random(1);
        var gray = Enumerable.Range(0, 200 * 200).Select(_ => (float)rng.NextDouble()).ToArray();
        Assert.That(NumberLine.FromGray(200, 200, gray, DigitInk.Auto, out string? problem), Is.Null);
        Assert.That(problem, Is.Not.Null.And.Not.Empty);
    }

    [Test]
    public void FromGray_BandTooLong_NullNamingTheLimit()
    {
        // 40 digits 16 rows tall, 36 columns apart: about 2,100 columns once the band (22.4 rows) is scaled to 32.
        int w = 40 * 36 + 40;
        var gray = Paper(w, 40, 10, 16, Enumerable.Range(0, 40).Select(i => 20 + i * 36).ToArray());
        Assert.That(NumberLine.FromGray(w, 40, gray, DigitInk.Auto, out string? problem), Is.Null);
        Assert.That(problem, Does.Contain(NumberLine.MaxWidth.ToString()));
    }

    [Test]
    public void FromGray_SizeNotMatchingTheLevels_Refused()
    {
        Assert.Throws<ArgumentException>(() => NumberLine.FromGray(10, 10, new float[99], DigitInk.Auto, out _));
    }
}
