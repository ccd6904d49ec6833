// DigitNormalizer.cs — turns a photo or scan of one digit into an MNIST-style 28 × 28 image, as MNIST's creators did.

namespace DigitsML.Imaging;

/// <summary>MNIST's preparation of each digit (LeCun et al.): ink bright on dark, cropped to the ink, scaled to fit a
/// 20 × 20 box keeping the aspect ratio with anti-aliasing, then placed in a 28 × 28 frame so that its centre of mass
/// is the frame's centre. Photos and scans need more than MNIST's clean scans did; step by step:
/// <list type="number">
/// <item>Size: an image over <see cref="MaxSide"/> pixels on a side is first shrunk by a whole factor (area averaging).</item>
/// <item>Polarity: ink made bright on dark, as <see cref="DigitInk"/> says; by default from the border's median against
/// the image's 1st and 99th percentiles, judged on the image divided by its local mean when the light is uneven and the
/// plain test a close call (<see cref="PaperIsLight"/>). An image without contrast (a blank page, or one read the wrong
/// way round, where the "ink" covers more than half) gives zeros.</item>
/// <item>Light (dark ink on light paper): the paper's light at each pixel is estimated by a morphological closing (the
/// brightest level within a square window, then the darkest of those) over a window of a sixth of the shorter side,
/// widened while a wider one finds much more ink (strokes wider than the window); it follows gradients, vignetting and
/// the edges of shadows but not the ink. Each pixel is divided by it (ink = 1 − pixel ÷ paper), so ink in a shadow is as
/// strong as ink in full light. The flattened reading and the plain inverted one are each stretched (next step), and
/// each pixel keeps the lesser: the plain reading clears what the estimate gets wrong at the frame's edges and in a
/// shadow's narrow corners. On evenly lit paper both are the plain reading. Light ink on dark (MNIST) is used as it is.</item>
/// <item>Levels: the paper is the median, the noise the median absolute deviation from it, the ink the 99.5th
/// percentile, or, when ink covers less than 0.5 % of the image (a small digit in a big frame, a hairline), the 80th
/// percentile of the pixels six times the noise above the paper. Levels are stretched so that paper (and anything below
/// 40 % of the way to the ink, raised to three times the noise) is 0 and stroke cores (85 % of the way) are 1, keeping
/// the grey edges between as MNIST's anti-aliased strokes have them, so pencil stays grey rather than binary.</item>
/// <item>Lines: thin straight lines across at least 90 % of the image (ruled or squared paper, a margin) are cleared,
/// except where a stroke crosses them (<see cref="RuledLines"/>).</item>
/// <item>Digit: the ink's connected pieces are found; the largest, weighted towards the centre, and the pieces near it
/// that are big enough to be strokes are kept; specks and far marks are cleared (<see cref="InkComponents"/>).</item>
/// <item>Hairlines: when the strokes are thinner than a twentieth of the digit's size (a pencil or fine pen on a large
/// digit), they are widened by a grey dilation to about a twelfth, so that they survive shrinking to 20 pixels.</item>
/// <item>Crop and frame: cropped to the ink, ignoring the outermost 0.5 % of its mass on each side; scaled to fit
/// 20 × 20 by area averaging; placed by whole pixels with its centre of mass at the frame's centre (<see cref="MnistFrame"/>).</item>
/// </list>
/// On a clean image (even paper, one piece of ink, no lines, strokes of ordinary width) the photo steps change nothing,
/// so MNIST-style inputs come out as MNIST's own recipe makes them.</summary>
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
        var levels = new OrderStatistics(v);
        bool invert = ink switch
        {
            DigitInk.DarkOnLight => true,
            DigitInk.LightOnDark => false,
            _ => PaperIsLight(v, w, h, levels),
        };
        // The page itself must show ink: read the wrong way round, the paper is the "ink", covers more than half the
        // image and is also the median, so no contrast is left, and a blank page has none either.
        float Raw(float q)
        {
            int i = Math.Clamp((int)(q * (levels.Count - 1)), 0, levels.Count - 1);
            return invert ? 1 - levels.Smallest(levels.Count - 1 - i) : levels.Smallest(i);
        }
        if (Raw(0.995f) - Raw(0.5f) < 0.05f && Raw(1) - Raw(0.5f) < 0.05f)
            return;
        if (!invert)
        {
            if (!Stretch(v, levels))
                return; // no contrast: a blank page
        }
        else
        {
            // Two readings of the ink, each stretched on its own: divided by the paper's estimated light, and simply
            // inverted. Each pixel keeps the lesser: light flattening clears shadows and gradients the plain reading takes
            // for ink, and the plain reading clears what the estimate gets wrong (at the frame's edges, where a closing
            // cannot see a gradient go on, and in a shadow's narrow corners).
            var plain = new float[v.Length];
            for (int i = 0; i < v.Length; i++)
                plain[i] = 1 - v[i];
            FlattenLight(v, w, h, PaperLight(v, w, h));
            if (!Stretch(v, new OrderStatistics(v)) || !Stretch(plain, new OrderStatistics(plain)))
                return;
            for (int i = 0; i < v.Length; i++)
                v[i] = Math.Min(v[i], plain[i]);
        }
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

    /// <summary>The window's radius for the paper's light: a twelfth of the shorter side (a window of a sixth), at least 3.</summary>
    private static int Radius(int w, int h) => Math.Max(3, Math.Min(w, h) / 12);

    /// <summary>The paper's light at each pixel of <paramref name="v"/> (dark ink on light paper): a closing with a window
    /// of a sixth of the shorter side, widened (doubled, up to the longer side) while a wider window finds more than
    /// <see cref="WiderInk"/> times as much ink. A stroke wider than the window is taken for paper in shadow and would
    /// vanish; a wider window gives it back, while on thin strokes it finds about the same ink and the narrowest window,
    /// which follows the light most closely, is kept.</summary>
    private static float[] PaperLight(float[] v, int w, int h)
    {
        int r = Radius(w, h);
        var paper = Morphology.Closing(v, w, h, r, Step(r));
        double ink = InkUnder(v, paper);
        while (2 * r <= Math.Max(w, h) / 2)
        {
            var wider = Morphology.Closing(v, w, h, 2 * r, Step(2 * r));
            double widerInk = InkUnder(v, wider);
            if (widerInk <= WiderInk * ink)
                break;
            (paper, ink, r) = (wider, widerInk, 2 * r);
        }
        return paper;
    }

    /// <summary>The reduction for a closing of radius r: windows over 11 pixels across are closed on blocks of r ÷ 6
    /// pixels (<see cref="Morphology.Closing(float[], int, int, int, int)"/>), which keeps a phone photo's light estimate
    /// to a few milliseconds.</summary>
    private static int Step(int r) => Math.Max(1, r / 6);

    /// <summary>How much more ink a wider window must find to be used.</summary>
    private const double WiderInk = 1.25;

    /// <summary>The ink's total darkness relative to the paper's light: the sum of 1 − pixel ÷ paper.</summary>
    private static double InkUnder(float[] v, float[] paper)
    {
        double sum = 0;
        for (int i = 0; i < v.Length; i++)
            sum += paper[i] > 0 ? 1 - Math.Min(v[i] / paper[i], 1) : 0;
        return sum;
    }

    /// <summary>Dark ink on light paper to bright ink on black, divided by the paper's estimated light
    /// <paramref name="paper"/> (see the class).</summary>
    private static void FlattenLight(float[] v, int w, int h, float[] paper)
    {
        for (int i = 0; i < v.Length; i++)
            v[i] = paper[i] > 0 ? 1 - Math.Min(v[i] / paper[i], 1) : 0;
    }

    /// <summary><see cref="DigitInk.Auto"/>: whether the paper is light. When the border is lit evenly (its 10th to 90th
    /// percentiles within 0.1, or a quarter of the image's 1st-to-99th-percentile range): by the ink's side, when at least
    /// twice as many pixels lie far below the median as far above it (six times the noise, at least 0.05) and they are at
    /// most 15 % of the image, the ink is dark, and the other way round; failing that, as MNIST-style images and scans
    /// are judged, the paper is light when the border's median is nearer the 99th percentile than the 1st. Under uneven
    /// light (a gradient, vignetting or a shadow reaching the border) the border's median decides unless it is a close
    /// call (within 15 % of the range from the middle); then the same test is made on the image divided by its local mean
    /// (a box blur over a third of the shorter side), with the 0.1st and 99.9th percentiles: the paper, which covers most
    /// of every neighbourhood, is then near 1 everywhere and the ink lies on one side of it.</summary>
    private static bool PaperIsLight(float[] v, int w, int h, OrderStatistics levels)
    {
        float dark = levels.Percentile(0.01f), light = levels.Percentile(0.99f);
        var border = Border(v, w, h);
        float spread = border[border.Length * 9 / 10] - border[border.Length / 10];
        float median = border[border.Length / 2], middle = (dark + light) / 2;
        if (spread <= Math.Max(0.1f, 0.25f * (light - dark)))
        {
            // Even light. Ink stands out from the paper: count the pixels far (six times the noise, at least 0.05) below
            // and above the median; a small digit in a big frame is under 1 % of the pixels, where the 1st and 99th
            // percentiles see only the paper's grain.
            float paper = levels.Percentile(0.5f), far = Math.Max(0.05f, 6 * Noise(v, paper));
            int below = 0, above = 0;
            foreach (float p in v)
            {
                below += p < paper - far ? 1 : 0;
                above += p > paper + far ? 1 : 0;
            }
            if ((below >= 2 * above + 1 || above >= 2 * below + 1) && Math.Max(below, above) <= v.Length * 0.15)
                return below > above;
            return median > middle;
        }
        if (Math.Abs(median - middle) > 0.15f * (light - dark))
            return median > middle;
        var mean = BoxMean(v, w, h, Math.Max(3, Math.Min(w, h) / 6));
        var relative = new float[v.Length];
        for (int i = 0; i < v.Length; i++)
            relative[i] = v[i] / Math.Max(mean[i], 1e-3f);
        var relativeLevels = new OrderStatistics(relative);
        var relativeBorder = Border(relative, w, h);
        return relativeBorder[relativeBorder.Length / 2] > (relativeLevels.Percentile(0.001f) + relativeLevels.Percentile(0.999f)) / 2;
    }

    /// <summary>The border's values, in order.</summary>
    private static float[] Border(float[] v, int w, int h)
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
        var sorted = border.ToArray();
        Array.Sort(sorted);
        return sorted;
    }

    /// <summary>The mean of each pixel's (2r + 1)² window, clipped at the edges, from a summed-area table.</summary>
    private static float[] BoxMean(float[] v, int w, int h, int r)
    {
        var sums = new double[(w + 1) * (h + 1)];
        for (int y = 0; y < h; y++)
        {
            double row = 0;
            for (int x = 0; x < w; x++)
            {
                row += v[y * w + x];
                sums[(y + 1) * (w + 1) + x + 1] = sums[y * (w + 1) + x + 1] + row;
            }
        }
        var mean = new float[v.Length];
        for (int y = 0; y < h; y++)
        {
            int y0 = Math.Max(0, y - r), y1 = Math.Min(h, y + r + 1);
            for (int x = 0; x < w; x++)
            {
                int x0 = Math.Max(0, x - r), x1 = Math.Min(w, x + r + 1);
                double sum = sums[y1 * (w + 1) + x1] - sums[y0 * (w + 1) + x1] - sums[y1 * (w + 1) + x0] + sums[y0 * (w + 1) + x0];
                mean[y * w + x] = (float)(sum / ((x1 - x0) * (y1 - y0)));
            }
        }
        return mean;
    }

    /// <summary>The noise about the paper's level: the median absolute deviation from it, scaled to a normal
    /// distribution's σ; ink does not move it while it covers less than half the image.</summary>
    private static float Noise(float[] v, float paper)
    {
        var distances = new float[v.Length];
        for (int i = 0; i < v.Length; i++)
            distances[i] = Math.Abs(v[i] - paper);
        return 1.4826f * OrderStatistics.Select(distances, v.Length / 2);
    }

    /// <summary>Stretches <paramref name="v"/> (ink bright; <paramref name="levels"/> its values) from the paper's level
    /// to the ink's; false, leaving <paramref name="v"/> as it was, when there is no ink.</summary>
    private static bool Stretch(float[] v, OrderStatistics levels)
    {
        float paper = levels.Percentile(0.5f), inkLevel = levels.Percentile(0.995f);
        float noise = Noise(v, paper);
        float floor = paper + Math.Max(0.05f, 6 * noise);
        if (inkLevel < floor)
        {
            // Ink under 0.5 % of the image: its level from the pixels clearly above the paper's noise, else the brightest.
            var above = v.Where(p => p > floor).ToArray();
            inkLevel = above.Length > 0 ? OrderStatistics.Select(above, (int)(0.8f * (above.Length - 1))) : levels.Smallest(levels.Count - 1);
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
