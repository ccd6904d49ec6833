// DigitNormalizer.cs — turns a photo or scan of one digit into an MNIST-style 28 × 28 image, as MNIST's creators did.

namespace DigitsML.Imaging;

/// <summary>MNIST's preparation of each digit (LeCun et al.): ink bright on dark, cropped to the ink, scaled to fit a
/// 20 × 20 box keeping the aspect ratio with anti-aliasing, then placed in a 28 × 28 frame so that its centre of mass
/// is the frame's centre. Photos add two steps MNIST's clean scans did not need: the paper's level (the median, so ink
/// must cover less than half the image) and uneven lighting are removed by a contrast stretch, and the crop ignores
/// specks by trimming the outermost 0.5% of the ink's mass from each side.</summary>
internal static class DigitNormalizer
{
    internal const int Frame = 28, Box = 20;

    private const float PaperCut = 0.4f, InkFull = 0.85f, SpeckMass = 0.005f;

    /// <summary>The 28 × 28 image, row by row, values in [0, 1] with ink near 1; all zeros when the image has no ink
    /// (nothing at least 0.05 brighter than the paper once ink is bright).</summary>
    internal static void Normalize(GrayImage image, DigitInk ink, Span<float> output)
    {
        System.Diagnostics.Debug.Assert(output.Length == Frame * Frame);
        output.Clear();
        int w = image.Width, h = image.Height;
        var v = image.Pixels.ToArray();
        var sorted = (float[])v.Clone();
        Array.Sort(sorted);
        float dark = Percentile(sorted, 0.01f), light = Percentile(sorted, 0.99f);
        bool invert = ink switch
        {
            DigitInk.DarkOnLight => true,
            DigitInk.LightOnDark => false,
            _ => BorderMedian(image) > (dark + light) / 2,
        };
        if (invert)
        {
            for (int i = 0; i < v.Length; i++)
                v[i] = 1 - v[i];
            Array.Reverse(sorted);
            for (int i = 0; i < sorted.Length; i++)
                sorted[i] = 1 - sorted[i];
        }
        // Paper is the median; ink the 99.5th percentile. Stretch so that paper and its shading fall to 0 and stroke
        // cores reach 1, keeping the blurred edges in between as MNIST's anti-aliased strokes have.
        float paper = Percentile(sorted, 0.5f), inkLevel = Percentile(sorted, 0.995f);
        if (inkLevel - paper < 0.05f)
            inkLevel = sorted[^1]; // ink under 0.5% of the image: a small image or a thin stroke
        if (inkLevel - paper < 0.05f)
            return; // no contrast: a blank page
        float lo = paper + PaperCut * (inkLevel - paper), hi = paper + InkFull * (inkLevel - paper);
        for (int i = 0; i < v.Length; i++)
            v[i] = Math.Clamp((v[i] - lo) / (hi - lo), 0, 1);

        var (x0, x1) = Extent(v, w, h, columns: true);
        var (y0, y1) = Extent(v, w, h, columns: false);
        if (x1 < x0 || y1 < y0)
            return;
        int cw = x1 - x0 + 1, ch = y1 - y0 + 1;
        double scale = (double)Box / Math.Max(cw, ch);
        int sw = Math.Clamp((int)Math.Round(cw * scale), 1, Box), sh = Math.Clamp((int)Math.Round(ch * scale), 1, Box);
        var scaled = Resample(v, w, x0, y0, cw, ch, sw, sh);

        // Centre of mass, with pixel centres at +0.5, moved onto the frame's centre (14, 14) by a whole-pixel shift.
        double mass = 0, mx = 0, my = 0;
        for (int y = 0; y < sh; y++)
            for (int x = 0; x < sw; x++)
            {
                float p = scaled[y * sw + x];
                mass += p;
                mx += p * (x + 0.5);
                my += p * (y + 0.5);
            }
        if (mass <= 0)
            return;
        int ox = Math.Clamp((int)Math.Round(Frame / 2.0 - mx / mass), 0, Frame - sw);
        int oy = Math.Clamp((int)Math.Round(Frame / 2.0 - my / mass), 0, Frame - sh);
        for (int y = 0; y < sh; y++)
            scaled.AsSpan(y * sw, sw).CopyTo(output.Slice((oy + y) * Frame + ox, sw));
    }

    private static float Percentile(float[] sorted, float q) => sorted[Math.Clamp((int)(q * (sorted.Length - 1)), 0, sorted.Length - 1)];

    private static float BorderMedian(GrayImage image)
    {
        int w = image.Width, h = image.Height;
        var border = new List<float>(2 * (w + h));
        for (int x = 0; x < w; x++)
        {
            border.Add(image[x, 0]);
            border.Add(image[x, h - 1]);
        }
        for (int y = 1; y < h - 1; y++)
        {
            border.Add(image[0, y]);
            border.Add(image[w - 1, y]);
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

    /// <summary>The crop (x0, y0, cw × ch) resized to sw × sh by area averaging: each output pixel is the mean of the
    /// source area it covers, fractional pixels weighted by their overlap, which anti-aliases when shrinking.</summary>
    private static float[] Resample(float[] v, int w, int x0, int y0, int cw, int ch, int sw, int sh)
    {
        var xs = Weights(cw, sw);
        var ys = Weights(ch, sh);
        var result = new float[sw * sh];
        for (int oy = 0; oy < sh; oy++)
            for (int ox = 0; ox < sw; ox++)
            {
                double sum = 0, weight = 0;
                foreach (var (sy, wy) in ys[oy])
                    foreach (var (sx, wx) in xs[ox])
                    {
                        sum += wx * wy * v[(y0 + sy) * w + x0 + sx];
                        weight += wx * wy;
                    }
                result[oy * sw + ox] = (float)Math.Clamp(sum / weight, 0, 1);
            }
        return result;
    }

    /// <summary>For each of <paramref name="output"/> cells, the source cells it overlaps and by how much.</summary>
    private static List<(int Index, double Weight)>[] Weights(int source, int output)
    {
        double step = (double)source / output;
        var cells = new List<(int, double)>[output];
        for (int o = 0; o < output; o++)
        {
            double start = o * step, end = Math.Min(source, start + step);
            cells[o] = [];
            for (int s = (int)start; s < end && s < source; s++)
            {
                double overlap = Math.Min(end, s + 1) - Math.Max(start, s);
                if (overlap > 1e-9)
                    cells[o].Add((s, overlap));
            }
        }
        return cells;
    }
}
