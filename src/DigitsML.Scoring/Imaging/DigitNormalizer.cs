// DigitNormalizer.cs — turns a photo or scan of one digit into an MNIST-style 28 × 28 image, as MNIST's creators did.

namespace DigitsML.Imaging;

/// <summary>MNIST's preparation of each digit (LeCun et al.): ink bright on dark, cropped to the ink, scaled to fit a
/// 20 × 20 box keeping the aspect ratio with anti-aliasing, then placed in a 28 × 28 frame so that its centre of mass
/// is the frame's centre. Photos and scans need more than MNIST's clean scans did; step by step:
/// <list type="number">
/// <item>Size: an image over <see cref="MaxSide"/> pixels on a side is first shrunk by a whole factor (area averaging).</item>
/// <item>Polarity: ink made bright on dark, as <see cref="DigitInk"/> says (by default from the image's border).</item>
/// <item>Light: for dark ink on light paper, the paper's own brightness at each pixel is estimated by a morphological
/// closing (the brightest level within a square window, then the darkest of those) over a window of a sixth of the
/// image's shorter side, wider than a stroke, so the estimate follows gradients, vignetting and the edges of shadows but
/// not the ink; each pixel is divided by it (ink = 1 − pixel ÷ paper), which flattens the light and gives ink in a
/// shadow the same strength as ink in full light. On a page lit evenly the estimate is the paper and nothing
/// changes. Light ink on dark (MNIST itself) is used as it is.</item>
/// <item>Levels: the paper is the median, the noise the median absolute deviation from it, the ink the 99.5th
/// percentile, or, when ink covers less than 0.5 % of the image (a small digit in a big frame, a hairline), the 80th
/// percentile of the pixels clearly above the noise. Levels are stretched so that paper (and anything below 40 % of the
/// way to the ink, or three times the noise) is 0 and stroke cores (85 % of the way) are 1, keeping the grey edges
/// between as MNIST's anti-aliased strokes have them, so pencil stays grey rather than binary.</item>
/// <item>Lines: thin straight lines across at least 90 % of the image (ruled or squared paper, a margin) are cleared,
/// except where a stroke crosses them (<see cref="RuledLines"/>).</item>
/// <item>Digit: the ink's connected pieces are found; the largest, weighted towards the centre, and the pieces near it
/// that are big enough to be strokes are kept; specks and far marks are cleared (<see cref="InkComponents"/>).</item>
/// <item>Hairlines: when the strokes are thinner than a twentieth of the digit's size (a pencil or fine pen on a large
/// digit), they are widened by a grey dilation so that they survive shrinking to 20 pixels as MNIST-like strokes.</item>
/// <item>Crop and frame: cropped to the ink, ignoring the outermost 0.5 % of its mass on each side; scaled to fit
/// 20 × 20 by area averaging; placed by whole pixels with its centre of mass at the frame's centre.</item>
/// </list>
/// On a clean image (even paper, one piece of ink, no lines, strokes of ordinary width) steps 3, 5, 6 and 7 change
/// nothing, so MNIST-style inputs come out as MNIST's own recipe makes them.</summary>
internal static class DigitNormalizer
{
    internal const int Frame = 28, Box = 20;

    /// <summary>The longest side worked on; larger images are shrunk first (a digit needs no more to become 20 pixels).</summary>
    internal const int MaxSide = 1024;

    private const float PaperCut = 0.4f, InkFull = 0.85f, SpeckMass = 0.005f;

    /// <summary>The 28 × 28 image, row by row, values in [0, 1] with ink near 1; all zeros when the image has no ink
    /// (nothing at least 0.05, and clearly more than the noise, brighter than the paper once ink is bright).</summary>
    internal static void Normalize(GrayImage image, DigitInk ink, Span<float> output)
    {
        System.Diagnostics.Debug.Assert(output.Length == Frame * Frame);
        output.Clear();
        var (v, w, h) = Shrink(image);
        var sorted = (float[])v.Clone();
        Array.Sort(sorted);
        float dark = Percentile(sorted, 0.01f), light = Percentile(sorted, 0.99f);
        bool invert = ink switch
        {
            DigitInk.DarkOnLight => true,
            DigitInk.LightOnDark => false,
            _ => BorderMedian(v, w, h) > (dark + light) / 2,
        };
        // The page itself must show ink: read the wrong way round, the paper is the "ink", covers more than half the
        // image and is also the median, so no contrast is left, and a blank page has none either.
        float Raw(float q)
        {
            int i = Math.Clamp((int)(q * (sorted.Length - 1)), 0, sorted.Length - 1);
            return invert ? 1 - sorted[sorted.Length - 1 - i] : sorted[i];
        }
        if (Raw(0.995f) - Raw(0.5f) < 0.05f && Raw(1) - Raw(0.5f) < 0.05f)
            return;
        if (invert)
        {
            FlattenLight(v, w, h);
            sorted = (float[])v.Clone();
            Array.Sort(sorted);
        }
        if (!Stretch(v, sorted))
            return; // no contrast: a blank page
        RuledLines.Remove(v, w, h);
        InkComponents.KeepDigit(v, w, h);
        var (x0, x1) = Extent(v, w, h, columns: true);
        var (y0, y1) = Extent(v, w, h, columns: false);
        if (x1 < x0 || y1 < y0)
            return;
        if (WidenHairlines(v, w, h, Math.Max(x1 - x0, y1 - y0) + 1))
        {
            (x0, x1) = Extent(v, w, h, columns: true);
            (y0, y1) = Extent(v, w, h, columns: false);
        }
        MnistFrame.Place(v, w, x0, y0, x1 - x0 + 1, y1 - y0 + 1, output);
    }

    /// <summary>The grey levels, shrunk by a whole factor by area averaging when a side is over <see cref="MaxSide"/>.</summary>
    private static (float[] Pixels, int W, int H) Shrink(GrayImage image)
    {
        int w = image.Width, h = image.Height;
        int factor = (Math.Max(w, h) + MaxSide - 1) / MaxSide;
        if (factor <= 1)
            return (image.Pixels.ToArray(), w, h);
        int sw = (w + factor - 1) / factor, sh = (h + factor - 1) / factor;
        var sums = new float[sw * sh];
        var counts = new int[sw * sh];
        var pixels = image.Pixels;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                int at = y / factor * sw + x / factor;
                sums[at] += pixels[y * w + x];
                counts[at]++;
            }
        for (int i = 0; i < sums.Length; i++)
            sums[i] /= counts[i];
        return (sums, sw, sh);
    }

    /// <summary>Dark ink on light paper to bright ink on black, divided by the paper's estimated light (see the class).</summary>
    private static void FlattenLight(float[] v, int w, int h)
    {
        int r = Math.Max(3, Math.Min(w, h) / 12);
        var paper = Morphology.Closing(v, w, h, r);
        for (int i = 0; i < v.Length; i++)
            v[i] = paper[i] > 0 ? 1 - Math.Min(v[i] / paper[i], 1) : 0;
    }

    /// <summary>Stretches <paramref name="v"/> (ink bright; <paramref name="sorted"/> its values in order) from the paper's
    /// level to the ink's; false, leaving <paramref name="v"/> as it was, when there is no ink.</summary>
    private static bool Stretch(float[] v, float[] sorted)
    {
        float paper = Percentile(sorted, 0.5f), inkLevel = Percentile(sorted, 0.995f);
        float noise = 1.4826f * MedianDistance(sorted, paper);
        float floor = paper + Math.Max(0.05f, 6 * noise);
        if (inkLevel < floor)
        {
            // Ink under 0.5 % of the image: its level from the pixels clearly above the paper's noise, else the brightest.
            int first = UpperBound(sorted, floor);
            inkLevel = first < sorted.Length ? sorted[first + (int)(0.8f * (sorted.Length - 1 - first))] : sorted[^1];
        }
        if (inkLevel - paper < 0.05f)
            return false;
        // The cut below which all is paper: 40 % of the way to the ink, raised to three times the noise (up to 60 %).
        float cut = Math.Max(PaperCut, Math.Min(3 * noise / (inkLevel - paper), 0.6f));
        float lo = paper + cut * (inkLevel - paper), hi = paper + InkFull * (inkLevel - paper);
        for (int i = 0; i < v.Length; i++)
            v[i] = Math.Clamp((v[i] - lo) / (hi - lo), 0, 1);
        return true;
    }

    /// <summary>The median of |value − <paramref name="centre"/>| over sorted values: a noise level that ink does not
    /// move while it covers less than half the image.</summary>
    private static float MedianDistance(float[] sorted, float centre)
    {
        // The k-th smallest distance is found by walking outwards from the centre in both directions.
        int k = sorted.Length / 2, below = LowerBound(sorted, centre) - 1, above = below + 1;
        float distance = 0;
        for (int taken = 0; taken <= k; taken++)
        {
            float down = below >= 0 ? centre - sorted[below] : float.PositiveInfinity;
            float up = above < sorted.Length ? sorted[above] - centre : float.PositiveInfinity;
            if (down <= up)
                (distance, below) = (down, below - 1);
            else
                (distance, above) = (up, above + 1);
        }
        return distance;
    }

    private static int LowerBound(float[] sorted, float value)
    {
        int i = Array.BinarySearch(sorted, value);
        if (i < 0)
            return ~i;
        while (i > 0 && sorted[i - 1] == value)
            i--;
        return i;
    }

    private static int UpperBound(float[] sorted, float value)
    {
        int i = LowerBound(sorted, value);
        while (i < sorted.Length && sorted[i] <= value)
            i++;
        return i;
    }

    /// <summary>Widens strokes thinner than a twentieth of <paramref name="size"/> (the digit's longer side in pixels) by a
    /// grey dilation, to about a twelfth; true when it did.</summary>
    private static bool WidenHairlines(float[] v, int w, int h, int size)
    {
        if (size < 2 * Box)
            return false;
        // Stroke width ≈ 2 × area ÷ edge pixels (a band of width d has 2 edge pixels per d pixels of area).
        int area = 0, edge = 0;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                if (v[y * w + x] < 0.5f)
                    continue;
                area++;
                if (x == 0 || y == 0 || x == w - 1 || y == h - 1 || v[y * w + x - 1] < 0.5f || v[y * w + x + 1] < 0.5f
                    || v[(y - 1) * w + x] < 0.5f || v[(y + 1) * w + x] < 0.5f)
                    edge++;
            }
        if (edge == 0)
            return false;
        double width = 2.0 * area / edge;
        if (width > size / 20.0)
            return false;
        int r = (int)Math.Round((size / 12.0 - width) / 2);
        if (r < 1)
            return false;
        var widened = Morphology.Filter(v, w, h, r, max: true);
        widened.CopyTo(v, 0);
        return true;
    }

    private static float Percentile(float[] sorted, float q) => sorted[Math.Clamp((int)(q * (sorted.Length - 1)), 0, sorted.Length - 1)];

    private static float BorderMedian(float[] v, int w, int h)
    {
        var border = new List<float>(2 * (w + h));
        for (int x = 0; x < w; x++)
        {
            border.Add(v[x]);
            border.Add(v[(h - 1) * w + x]);
        }
        for (int y = 1; y < h - 1; y++)
        {
            border.Add(v[y * w]);
            border.Add(v[y * w + w - 1]);
        }
        border.Sort();
        return border[border.Count / 2];
    }

    /// <summary>The first and last column (or row) kept after trimming <see cref="SpeckMass"/> of the ink's mass from
    /// each side; last &lt; first when there is no ink.</summary>
    private static (int First, int Last) Extent(float[] v, int w, int h, bool columns)
    {
        int n = columns ? w : h;
        var profile = new double[n];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                profile[columns ? x : y] += v[y * w + x];
        double total = profile.Sum(), cut = total * SpeckMass, sum = 0;
        if (total <= 0)
            return (0, -1);
        int first = 0, last = n - 1;
        while (first < n && (sum += profile[first]) <= cut)
            first++;
        sum = 0;
        while (last > first && (sum += profile[last]) <= cut)
            last--;
        return (first, last);
    }
}
