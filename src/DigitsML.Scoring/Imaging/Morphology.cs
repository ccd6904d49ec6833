// Morphology.cs — grey-level min and max filters over square windows, in time independent of the window's size.

namespace DigitsML.Imaging;

/// <summary>Grey-level erosion (minimum) and dilation (maximum) over a (2r + 1) × (2r + 1) square window, clipped at the
/// image's edges, done as one pass along rows and one along columns with the van Herk / Gil–Werman algorithm (about three
/// comparisons per pixel and pass whatever r is), so the large windows that estimate a page's lighting stay cheap on a
/// phone-sized photo.</summary>
internal static class Morphology
{
    /// <summary>The maximum (<paramref name="max"/>) or minimum of each pixel's window of radius <paramref name="r"/>,
    /// written to a new array.</summary>
    internal static float[] Filter(float[] v, int w, int h, int r, bool max)
    {
        var result = (float[])v.Clone();
        if (r <= 0)
            return result;
        int longest = Math.Max(w, h);
        var line = new float[longest];
        var forward = new float[longest + 2 * r];
        var backward = new float[longest + 2 * r];
        var output = new float[longest];
        for (int y = 0; y < h; y++)
        {
            result.AsSpan(y * w, w).CopyTo(line);
            Line(line.AsSpan(0, w), r, max, forward, backward, output);
            output.AsSpan(0, w).CopyTo(result.AsSpan(y * w, w));
        }
        for (int x = 0; x < w; x++)
        {
            for (int y = 0; y < h; y++)
                line[y] = result[y * w + x];
            Line(line.AsSpan(0, h), r, max, forward, backward, output);
            for (int y = 0; y < h; y++)
                result[y * w + x] = output[y];
        }
        return result;
    }

    /// <summary>Morphological closing (maximum, then minimum): removes dark details narrower than the window and keeps
    /// what is wider, and keeps straight or gently curved ramps and edges of light exactly where they are.</summary>
    internal static float[] Closing(float[] v, int w, int h, int r) => Filter(Filter(v, w, h, r, max: true), w, h, r, max: false);

    /// <summary>An approximate closing for large windows: the image is reduced by <paramref name="step"/> taking each
    /// block's maximum (the first half of a closing), closed there with radius ⌈r ÷ step⌉ and spread back over the
    /// blocks. Never below the exact closing; it costs about step² times less, and blurs where the light changes
    /// within a block (a block is a few pixels where the window is tens).</summary>
    internal static float[] Closing(float[] v, int w, int h, int r, int step)
    {
        if (step <= 1)
            return Closing(v, w, h, r);
        int sw = (w + step - 1) / step, sh = (h + step - 1) / step;
        var small = new float[sw * sh];
        Array.Fill(small, float.NegativeInfinity);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                int at = y / step * sw + x / step;
                small[at] = Math.Max(small[at], v[y * w + x]);
            }
        var closed = Closing(small, sw, sh, (r + step - 1) / step);
        var result = new float[v.Length];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                result[y * w + x] = closed[y / step * sw + x / step];
        return result;
    }

    /// <summary>The 1-D filter of <paramref name="line"/> with window 2r + 1, positions outside the line ignored: blocks
    /// of length 2r + 1 hold running extremes from their start (forward) and from their end (backward), and each window
    /// is the extreme of one backward and one forward value. A maximum is computed as the minimum of negated values, so
    /// the loops have no branch on the kind.</summary>
    private static void Line(ReadOnlySpan<float> line, int r, bool max, float[] forward, float[] backward, float[] output)
    {
        int n = line.Length, k = 2 * r + 1, padded = n + 2 * r;
        float sign = max ? -1 : 1;
        for (int i = 0, inBlock = 0; i < padded; i++, inBlock = inBlock == k - 1 ? 0 : inBlock + 1)
        {
            float value = i >= r && i < r + n ? sign * line[i - r] : float.PositiveInfinity;
            forward[i] = inBlock == 0 || forward[i - 1] > value ? value : forward[i - 1];
        }
        for (int i = padded - 1, inBlock = i % k; i >= 0; i--, inBlock = inBlock == 0 ? k - 1 : inBlock - 1)
        {
            float value = i >= r && i < r + n ? sign * line[i - r] : float.PositiveInfinity;
            backward[i] = inBlock == k - 1 || i == padded - 1 || backward[i + 1] > value ? value : backward[i + 1];
        }
        // The window of output i covers padded positions i .. i + 2r.
        for (int i = 0; i < n; i++)
        {
            float a = backward[i], b = forward[i + k - 1];
            output[i] = sign * (a < b ? a : b);
        }
    }
}
