// PhotoStepsTests.cs — each step NormalizeDigit adds for photos, on images drawn here: ruled lines removed without cutting
// the digit, specks dropped and broken strokes kept, light flattened, a small digit found in a big frame, hairlines widened.
using DigitsML.Imaging;

namespace DigitsML.Scoring.Tests.Imaging;

[TestFixture]
public sealed class PhotoStepsTests
{
    /// <summary>A w × h page of <paramref name="paper"/> with ink (level <paramref name="ink"/>) wherever
    /// <paramref name="drawn"/> says, as grey levels (dark ink on light paper).</summary>
    private static float[] Page(int w, int h, Func<int, int, bool> drawn, float paper = 0.95f, float ink = 0.1f)
    {
        var v = new float[w * h];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                v[y * w + x] = drawn(x, y) ? ink : paper;
        return v;
    }

    /// <summary>A ring (a "0") of the given centre, radius and stroke width.</summary>
    private static Func<int, int, bool> Ring(double cx, double cy, double radius, double width) =>
        (x, y) => Math.Abs(Math.Sqrt((x + 0.5 - cx) * (x + 0.5 - cx) + (y + 0.5 - cy) * (y + 0.5 - cy)) - radius) <= width / 2;

    private static float[] Normalize(int w, int h, float[] pixels, DigitInk ink = DigitInk.Auto)
    {
        var output = new float[784];
        DigitNormalizer.Normalize(new GrayImage(w, h, pixels), ink, output);
        return output;
    }

    private static double Correlation(float[] a, float[] b)
    {
        double ma = a.Average(), mb = b.Average(), ab = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            ab += (a[i] - ma) * (b[i] - mb);
            aa += (a[i] - ma) * (a[i] - ma);
            bb += (b[i] - mb) * (b[i] - mb);
        }
        return ab / Math.Sqrt(aa * bb);
    }

    /// <summary>The reference: a ring of radius 30 and stroke 6 alone on even paper.</summary>
    private static float[] CleanRing() => Normalize(100, 100, Page(100, 100, Ring(50, 50, 30, 6)));

    [Test]
    public void RuledLines_LinesAcrossADigit_LinesClearedDigitWhole()
    {
        // Ink bright: three 2-pixel rules across a 120 × 100 page and a vertical stroke (a "1", 84 % of the height) crossing all of them.
        const int w = 120, h = 100;
        bool Rule(int y) => y % 30 is 10 or 11;
        bool Stroke(int x, int y) => x is >= 58 and < 63 && y is >= 8 and < 92;
        var v = Page(w, h, (x, y) => Rule(y) || Stroke(x, y), paper: 0, ink: 1);

        int cleared = RuledLines.Remove(v, w, h);

        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                Assert.That(v[y * w + x], Is.EqualTo(Stroke(x, y) ? 1f : 0f), $"({x}, {y})");
        Assert.That(cleared, Is.EqualTo(3 * 2 * (w - 5)));
    }

    [Test]
    public void RuledLines_StrokesShorterThanTheFrameOrOnlyLines_Kept()
    {
        // A horizontal bar over 80 % of the width (the top of a 7) is not a rule; a page that is nothing but one
        // long dash keeps it; an image under 32 pixels a side is a crop of a digit and is never searched.
        var bar = Page(100, 60, (x, y) => x is >= 10 and < 90 && y is 20 or 21, paper: 0, ink: 1);
        var dash = Page(100, 60, (x, y) => y is 30 or 31, paper: 0, ink: 1);
        var tiny = Page(28, 28, (x, y) => y == 14, paper: 0, ink: 1);

        Assert.That(RuledLines.Remove(bar, 100, 60), Is.Zero);
        Assert.That(RuledLines.Remove(dash, 100, 60), Is.Zero);
        Assert.That(RuledLines.Remove(tiny, 28, 28), Is.Zero);
        Assert.That(dash.Count(p => p > 0), Is.EqualTo(200));
    }

    [Test]
    public void InkComponents_SpecksAndAFarMark_DroppedBrokenStrokeKept()
    {
        // A ring, a piece of stroke 4 pixels from it (a broken stroke), three specks and a mark at the frame's edge.
        const int w = 200, h = 160;
        var ring = Ring(100, 80, 30, 5);
        bool Piece(int x, int y) => x is >= 134 and < 140 && y is >= 60 and < 76;
        bool Speck(int x, int y) => (x, y) is (20, 20) or (21, 20) or (170, 30) or (60, 140) or (61, 141);
        bool Mark(int x, int y) => x is >= 190 and < 196 && y is >= 120 and < 132;
        var v = Page(w, h, (x, y) => ring(x, y) || Piece(x, y) || Speck(x, y) || Mark(x, y), paper: 0, ink: 1);

        int cleared = InkComponents.KeepDigit(v, w, h);

        Assert.That(cleared, Is.EqualTo(4), "three specks and the far mark");
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                Assert.That(v[y * w + x], Is.EqualTo(ring(x, y) || Piece(x, y) ? 1f : 0f), $"({x}, {y})");
    }

    [Test]
    public void Closing_LightGradientWithDarkStrokes_GivesTheGradient()
    {
        // Paper lit from 0.4 on the left to 1 on the right, with 5-pixel dark strokes; the closing (window 25) must
        // give back the paper's light under the strokes as around them.
        const int w = 160, h = 120;
        float Light(int x) => 0.4f + 0.6f * x / (w - 1);
        var v = Page(w, h, (x, y) => x % 40 is >= 20 and < 25 || y % 50 is >= 30 and < 35);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                v[y * w + x] *= Light(x);

        var paper = Morphology.Closing(v, w, h, 12);

        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                Assert.That(paper[y * w + x], Is.EqualTo(0.95f * Light(x)).Within(0.95f * 0.6f * 12 / (w - 1) + 1e-5f), $"({x}, {y})");
    }

    [Test]
    public void Morphology_Filter_EqualsBruteForceMinimumAndMaximum()
    {
        var random = new Random(5);
        const int w = 37, h = 23;
        var v = Enumerable.Range(0, w * h).Select(_ => (float)random.NextDouble()).ToArray();
        foreach (int r in new[] { 1, 2, 5, 30 })
            foreach (bool max in new[] { false, true })
            {
                var fast = Morphology.Filter(v, w, h, r, max);
                for (int y = 0; y < h; y++)
                    for (int x = 0; x < w; x++)
                    {
                        float expected = max ? float.MinValue : float.MaxValue;
                        for (int yy = Math.Max(0, y - r); yy <= Math.Min(h - 1, y + r); yy++)
                            for (int xx = Math.Max(0, x - r); xx <= Math.Min(w - 1, x + r); xx++)
                                expected = max ? Math.Max(expected, v[yy * w + xx]) : Math.Min(expected, v[yy * w + xx]);
                        Assert.That(fast[y * w + x], Is.EqualTo(expected), $"r {r}, max {max}, ({x}, {y})");
                    }
            }
    }

    [Test]
    public void Normalize_DigitUnderAGradientAndAShadow_AsOnEvenPaper()
    {
        // The ring's page lit from 35 % to full light, and a shadow at 55 % over its left half.
        var v = Page(100, 100, Ring(50, 50, 30, 6));
        for (int y = 0; y < 100; y++)
            for (int x = 0; x < 100; x++)
                v[y * 100 + x] *= (0.35f + 0.65f * y / 99) * (x < 45 ? 0.55f : 1);

        var uneven = Normalize(100, 100, v);

        Assert.That(Correlation(uneven, CleanRing()), Is.GreaterThan(0.95));
        Assert.That(uneven.Max(), Is.EqualTo(1f));
    }

    [Test]
    public void Normalize_SmallDigitInABigNoisyFrame_FoundAndFramedAsTheSameDigitAlone()
    {
        // The same ring scaled to a fifth (radius 6, stroke 1.5: a 14-pixel "0") near a corner of a 400 × 300 page with
        // paper grain (σ 0.02).
        var random = new Random(3);
        var v = Page(400, 300, Ring(330, 60, 6, 1.6));
        for (int i = 0; i < v.Length; i++)
            v[i] = Math.Clamp(v[i] + 0.02f * (float)(random.NextDouble() + random.NextDouble() + random.NextDouble() - 1.5) * 2, 0, 1);

        var small = Normalize(400, 300, v);

        Assert.That(Correlation(small, CleanRing()), Is.GreaterThan(0.8));
    }

    [Test]
    public void Normalize_HairlineOnALargeDigit_WidenedToMnistStrokes()
    {
        // A ring of radius 100 drawn with a 1-pixel pen: shrunk 10 times as it is, its stroke would be a tenth of a pixel
        // at a tenth of full ink.
        var hairline = Normalize(240, 240, Page(240, 240, Ring(120, 120, 100, 1.2)));

        Assert.That(hairline.Max(), Is.EqualTo(1f), "stroke cores reach full ink");
        Assert.That(hairline.Sum(), Is.GreaterThan(0.6 * CleanRing().Sum()), "as much ink as a pen stroke of ordinary width");
        Assert.That(Correlation(hairline, CleanRing()), Is.GreaterThan(0.85));
    }

    [Test]
    public void Normalize_PencilFaintOnGreyPaper_GreyLevelsKept()
    {
        // Pencil: a ring only 0.12 darker than the paper. The stretch makes its core full ink and keeps grey edges.
        var faint = Normalize(100, 100, Page(100, 100, Ring(50, 50, 30, 6), paper: 0.8f, ink: 0.68f));

        Assert.That(faint.Max(), Is.EqualTo(1f));
        Assert.That(faint.Count(p => p is > 0 and < 1), Is.GreaterThan(20), "grey, not binary");
        Assert.That(Correlation(faint, CleanRing()), Is.GreaterThan(0.99));
    }
}
