// InkMap.cs — which pixels of a number's image are ink: paper and uneven light removed, ruled lines taken out.
using DigitsML.Imaging;

namespace DigitsML.Reading;

/// <summary>The ink of an image of a number, found as a phone photo or scan needs it:
/// <list type="number">
/// <item>ink made bright (by <see cref="DigitInk"/>; for <see cref="DigitInk.Auto"/> the paper is what most of the image is);</item>
/// <item>the paper's level estimated locally (the 30th percentile of blocks about half the image's height, interpolated),
/// so a shadow or a light gradient is paper, not ink;</item>
/// <item>ink is what stands above the paper by more than <see cref="InkCut"/> of the ink's contrast (the 99.5th
/// percentile above paper);</item>
/// <item>ruled lines (rows inked across most of the width) are removed except where a stroke crosses them.</item>
/// </list></summary>
internal sealed class InkMap
{
    private const float MostInk = 0.4f, InkCut = 0.4f, MinContrast = 0.1f, LineShare = 0.5f, LineEdgeShare = 0.15f;

    private InkMap(int width, int height, bool[] ink, float[] paper, float[] strength, bool inverted)
    {
        Width = width;
        Height = height;
        Ink = ink;
        Paper = paper;
        Strength = strength;
        Inverted = inverted;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>True where a pixel is ink, row by row.</summary>
    public bool[] Ink { get; }

    /// <summary>The paper's grey level under each pixel, in the image's own polarity (what a pixel would be without ink).</summary>
    public float[] Paper { get; }

    /// <summary>How strongly each pixel stands above the paper, as a share of the ink's contrast (0: paper, 1: the ink's
    /// usual strength or more), row by row: the image the line reader sees, ruled lines still in it.</summary>
    public float[] Strength { get; }

    /// <summary>True when the ink is dark on light paper (the image was inverted to find it).</summary>
    public bool Inverted { get; }

    /// <summary>The ink of <paramref name="image"/>, or null with the reason when nothing stands out from the paper or
    /// when ink would cover more than <see cref="MostInk"/> of the image (noise or a dark photo: the paper's level is
    /// the median only while ink covers well under half).</summary>
    public static InkMap? Find(GrayImage image, DigitInk ink) => Find(image, ink, out _);

    /// <inheritdoc cref="Find(GrayImage, DigitInk)"/>
    public static InkMap? Find(GrayImage image, DigitInk ink, out string? problem)
    {
        problem = "no ink found: the image is blank or has no contrast";
        int w = image.Width, h = image.Height;
        var u = image.Pixels.ToArray();
        bool invert = ink switch
        {
            DigitInk.DarkOnLight => true,
            DigitInk.LightOnDark => false,
            _ => PaperIsLight(u),
        };
        if (invert)
            for (int i = 0; i < u.Length; i++)
                u[i] = 1 - u[i];
        var background = Background(u, w, h);
        var above = new float[u.Length];
        for (int i = 0; i < u.Length; i++)
            above[i] = Math.Max(0, u[i] - background[i]);
        var sorted = (float[])above.Clone();
        Array.Sort(sorted);
        float contrast = sorted[(int)(0.995 * (sorted.Length - 1))];
        if (contrast < MinContrast)
            contrast = sorted[^1]; // ink under 0.5 % of the image
        if (contrast < MinContrast)
            return null;
        float cut = InkCut * contrast;
        var mask = new bool[u.Length];
        for (int i = 0; i < u.Length; i++)
            mask[i] = above[i] > cut;
        if (mask.Count(m => m) > MostInk * mask.Length)
        {
            problem = $"more than {MostInk:P0} of the image stands out as ink: noise or a dark photo, not a number on paper";
            return null;
        }
        RemoveRuledLines(mask, w, h);
        if (!mask.Contains(true))
            return null;
        problem = null;
        var paper = invert ? Array.ConvertAll(background, b => 1 - b) : background;
        for (int i = 0; i < above.Length; i++)
            above[i] = Math.Min(1, above[i] / contrast);
        return new InkMap(w, h, mask, paper, above, invert);
    }

    /// <summary>The paper is light when the median (the paper, as ink covers less than half) is nearer the brightest levels.</summary>
    private static bool PaperIsLight(float[] v)
    {
        var sorted = (float[])v.Clone();
        Array.Sort(sorted);
        // The 0.1st and 99.9th percentiles: a thin number on a large page may be under 1 % of it.
        float dark = sorted[(int)(0.001 * (sorted.Length - 1))], light = sorted[(int)(0.999 * (sorted.Length - 1))];
        return sorted[sorted.Length / 2] > (dark + light) / 2;
    }

    /// <summary>The paper level under each pixel (ink bright): the 30th percentile of each block of a grid, blocks about
    /// half the image's shorter side (large enough that ink covers well under 70 % of any block), interpolated
    /// bilinearly between block centres.</summary>
    private static float[] Background(float[] u, int w, int h)
    {
        int size = Math.Max(8, Math.Min(w, h) / 2);
        int cols = Math.Max(1, (w + size - 1) / size), rows = Math.Max(1, (h + size - 1) / size);
        var level = new float[rows * cols];
        var block = new List<float>(size * size);
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
            {
                block.Clear();
                int y1 = Math.Min(h, (r + 1) * h / rows), x1 = Math.Min(w, (c + 1) * w / cols);
                for (int y = r * h / rows; y < y1; y++)
                    for (int x = c * w / cols; x < x1; x++)
                        block.Add(u[y * w + x]);
                block.Sort();
                level[r * cols + c] = block[(int)(0.3 * (block.Count - 1))];
            }
        var background = new float[w * h];
        for (int y = 0; y < h; y++)
        {
            // Position between block centres, in block units.
            double fy = Math.Clamp((y + 0.5) * rows / h - 0.5, 0, rows - 1);
            int r0 = (int)fy, r1 = Math.Min(rows - 1, r0 + 1);
            double ty = fy - r0;
            for (int x = 0; x < w; x++)
            {
                double fx = Math.Clamp((x + 0.5) * cols / w - 0.5, 0, cols - 1);
                int c0 = (int)fx, c1 = Math.Min(cols - 1, c0 + 1);
                double tx = fx - c0;
                double top = level[r0 * cols + c0] * (1 - tx) + level[r0 * cols + c1] * tx;
                double bottom = level[r1 * cols + c0] * (1 - tx) + level[r1 * cols + c1] * tx;
                background[y * w + x] = (float)(top * (1 - ty) + bottom * ty);
            }
        }
        return background;
    }

    /// <summary>Rows inked across more than half the width are ruled lines (no row of digits is that dense): each band
    /// of such rows is cleared except in columns where ink touches the band from above or below (a stroke crossing it).</summary>
    private static void RemoveRuledLines(bool[] mask, int w, int h)
    {
        var count = new int[h];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                count[y] += mask[y * w + x] ? 1 : 0;
        for (int y0 = 0; y0 < h; y0++)
        {
            if (count[y0] <= LineShare * w)
                continue;
            int y1 = y0;
            while (y1 + 1 < h && count[y1 + 1] > LineShare * w)
                y1++;
            // The line's blurred edges (a row on each side at most) belong to it too.
            if (y0 > 0 && count[y0 - 1] > LineEdgeShare * w)
                y0--;
            if (y1 + 1 < h && count[y1 + 1] > LineEdgeShare * w)
                y1++;
            for (int x = 0; x < w; x++)
            {
                bool crossed = (y0 > 0 && Near(mask, w, x, y0 - 1)) || (y1 + 1 < h && Near(mask, w, x, y1 + 1));
                if (!crossed)
                    for (int y = y0; y <= y1; y++)
                        mask[y * w + x] = false;
            }
            y0 = y1;
        }
    }

    /// <summary>Ink at (x ± 1, y): a slanted stroke meets the band a pixel aside.</summary>
    private static bool Near(bool[] mask, int w, int x, int y) =>
        mask[y * w + x] || (x > 0 && mask[y * w + x - 1]) || (x + 1 < w && mask[y * w + x + 1]);
}
