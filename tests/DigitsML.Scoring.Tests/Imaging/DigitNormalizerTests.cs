// DigitNormalizerTests.cs — the MNIST preparation of a digit image: MNIST digits disguised as photos come back as they were.
using DigitsML.Imaging;
using DigitsML.Transforms;

namespace DigitsML.Scoring.Tests.Imaging;

public sealed class DigitNormalizerTests
{
    /// <summary>MNIST digit <paramref name="index"/> as a photo: enlarged 3×, dark ink (0.15) on light uneven paper
    /// (0.75 to 0.9), off-centre in a 120 × 160 frame.</summary>
    private static GrayImage AsPhoto(int index, int dx, int dy)
    {
        var mnist = TestData.MnistTestPixels.AsSpan(index * 784, 784);
        var pixels = new float[120 * 160];
        for (int y = 0; y < 160; y++)
            for (int x = 0; x < 120; x++)
            {
                int mx = (x - 18 - dx) / 3, my = (y - 38 - dy) / 3;
                float inkCover = mx is >= 0 and < 28 && my is >= 0 and < 28 && x - 18 - dx >= 0 && y - 38 - dy >= 0 ? mnist[my * 28 + mx] : 0;
                float paper = 0.75f + 0.15f * x / 120;
                pixels[y * 120 + x] = paper + (0.15f - paper) * inkCover;
            }
        return new GrayImage(120, 160, pixels);
    }

    private static float[] Normalize(GrayImage image, DigitInk ink = DigitInk.Auto)
    {
        var output = new float[784];
        DigitNormalizer.Normalize(image, ink, output);
        return output;
    }

    private static double Correlation(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double ma = 0, mb = 0;
        for (int i = 0; i < a.Length; i++) { ma += a[i]; mb += b[i]; }
        ma /= a.Length; mb /= b.Length;
        double ab = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            ab += (a[i] - ma) * (b[i] - mb);
            aa += (a[i] - ma) * (a[i] - ma);
            bb += (b[i] - mb) * (b[i] - mb);
        }
        return ab / Math.Sqrt(aa * bb);
    }

    /// <summary>The best correlation over shifts of up to one pixel: MNIST rounded its centre-of-mass shift to whole
    /// pixels from its own (unthresholded) ink, so a one-pixel offset is within its own precision.</summary>
    private static double BestCorrelation(float[] ours, ReadOnlySpan<float> mnist)
    {
        double best = -1;
        var shifted = new float[784];
        for (int dy = -1; dy <= 1; dy++)
            for (int dx = -1; dx <= 1; dx++)
            {
                Array.Clear(shifted);
                for (int y = 0; y < 28; y++)
                    for (int x = 0; x < 28; x++)
                        if ((uint)(x + dx) < 28 && (uint)(y + dy) < 28)
                            shifted[(y + dy) * 28 + x + dx] = ours[y * 28 + x];
                best = Math.Max(best, Correlation(shifted, mnist));
            }
        return best;
    }

    [Test]
    public void Normalize_MnistDigitsAsPhotos_ReproduceMnist()
    {
        var correlations = Enumerable.Range(0, 100).Select(i =>
            BestCorrelation(Normalize(AsPhoto(i, i % 7 * 3 - 9, i % 5 * 4 - 8)), TestData.MnistTestPixels.AsSpan(i * 784, 784))).ToList();
        TestContext.Out.WriteLine($"correlation with MNIST: mean {correlations.Average():F3}, min {correlations.Min():F3}");
        Assert.That(correlations.Average(), Is.GreaterThan(0.9));
        Assert.That(correlations.Min(), Is.GreaterThan(0.7));
    }

    [Test]
    public void Normalize_Photo_InkFitsTwentyBoxCentredByMass()
    {
        var f = Normalize(AsPhoto(0, 11, -7));
        var ink = Enumerable.Range(0, 784).Where(i => f[i] > 0).ToList();
        int w = ink.Max(i => i % 28) - ink.Min(i => i % 28) + 1, h = ink.Max(i => i / 28) - ink.Min(i => i / 28) + 1;
        Assert.That(Math.Max(w, h), Is.InRange(19, 20));
        double mass = f.Sum(), cx = ink.Sum(i => f[i] * (i % 28 + 0.5)) / mass, cy = ink.Sum(i => f[i] * (i / 28 + 0.5)) / mass;
        Assert.That(cx, Is.EqualTo(14).Within(0.5));
        Assert.That(cy, Is.EqualTo(14).Within(0.5));
        Assert.That(f.Max(), Is.EqualTo(1f));
        Assert.That(f[0], Is.EqualTo(0f), "paper becomes black background");
    }

    [Test]
    public void Normalize_InkPolarity_AutoMatchesForcedChoice()
    {
        var photo = AsPhoto(3, 0, 0);
        Assert.That(Normalize(photo), Is.EqualTo(Normalize(photo, DigitInk.DarkOnLight)));
        var inverted = new GrayImage(120, 160, photo.Pixels.ToArray().Select(p => 1 - p).ToArray());
        Assert.That(Normalize(inverted), Is.EqualTo(Normalize(inverted, DigitInk.LightOnDark)));
        Assert.That(Correlation(Normalize(inverted), Normalize(photo)), Is.GreaterThan(0.95));
        Assert.That(Normalize(photo, DigitInk.LightOnDark), Is.Not.EqualTo(Normalize(photo)));
    }

    [Test]
    public void Normalize_BlankOrTinyImages_GiveZerosOrScaleUp()
    {
        Assert.That(Normalize(new GrayImage(50, 40, Enumerable.Repeat(0.8f, 2000).ToArray())), Has.All.EqualTo(0f));
        var dot = new float[9];
        dot[4] = 1; // one white pixel on black: scaled up to fill the 20 × 20 box
        var f = Normalize(new GrayImage(3, 3, dot));
        Assert.That(f.Count(v => v > 0), Is.EqualTo(400));
        Assert.That(Normalize(new GrayImage(1, 1, [0.5f])), Has.All.EqualTo(0f));
    }
}
