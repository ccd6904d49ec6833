// NumberLine.cs — the strip of an image a line reader reads: the number's band of ink, paper removed, NumberLine.Height rows tall.
using DigitsML.Imaging;
using DigitsML.Reading;

namespace DigitsML;

/// <summary>What the line reader (<see cref="LineReader"/>) sees of an image: the band that holds the number, cut out and
/// scaled to <see cref="Height"/> rows, the width following (at most <see cref="MaxWidth"/>), as ink strength in [0, 1]
/// (0 is paper, 1 the ink's usual strength). It is found as <see cref="NumberReader"/> finds ink:
/// <list type="number">
/// <item>ink made bright and the paper's local level removed (<c>InkMap</c>: uneven light and shadows are paper), each
/// pixel's height above the paper divided by the ink's contrast;</item>
/// <item>the ink's pieces grouped into digit-sized blobs (specks and short dashes dropped);</item>
/// <item>the band: from the highest to the lowest blob no taller than <see cref="TallShare"/> digit heights (a form box's
/// side or a margin line is taller and does not stretch the band), widened by a fifth of a digit's height above and
/// below and a third on the left and right.</item>
/// </list>
/// Everything in the band — printed lines, box sides, grid, neighbouring strokes — is kept: the reader has learned them
/// as background. Training makes its examples with this same code (<c>NumberSynthesizer</c>), so the reader meets at
/// scoring time exactly the strips it was trained on.</summary>
public sealed class NumberLine
{
    /// <summary>Rows of every line: a digit is about 23 of them tall.</summary>
    public const int Height = 32;

    /// <summary>The widest line read, in columns (about 40 digits); a wider band is refused.</summary>
    public const int MaxWidth = 1280;

    /// <summary>Blobs taller than this many digit heights (lines, box sides) do not set the band.</summary>
    public const float TallShare = 1.5f;

    private const float MarginAbove = 0.2f, MarginSide = 0.33f;

    private NumberLine(float[] pixels, int width, float scale, float left, float top)
    {
        Pixels = pixels;
        Width = width;
        Scale = scale;
        Left = left;
        Top = top;
    }

    /// <summary>Ink strength in [0, 1], <see cref="Height"/> rows of <see cref="Width"/> values.</summary>
    public float[] Pixels { get; }

    /// <summary>Columns of the line.</summary>
    public int Width { get; }

    /// <summary>Line pixels per image pixel.</summary>
    public float Scale { get; }

    /// <summary>The image column at the line's left edge (may be negative: the band reaches past the image).</summary>
    public float Left { get; }

    /// <summary>The image row at the line's top edge.</summary>
    public float Top { get; }

    /// <summary>The line of a grey image (<paramref name="gray"/>: <paramref name="width"/> × <paramref name="height"/>
    /// levels in [0, 1], row by row).</summary>
    /// <param name="width">Columns of the image.</param>
    /// <param name="height">Rows of the image.</param>
    /// <param name="gray">The grey levels, row by row.</param>
    /// <param name="ink">Which way round ink and paper are; <see cref="DigitInk.Auto"/> takes the paper to be what most
    /// of the image is.</param>
    /// <param name="problem">Null when a line was found, else why not, in one line.</param>
    /// <returns>The line, or null when the image holds no ink, only specks, noise, or a band wider than
    /// <see cref="MaxWidth"/> after scaling.</returns>
    /// <exception cref="ArgumentException">The size does not match the levels given.</exception>
    public static NumberLine? FromGray(int width, int height, ReadOnlySpan<float> gray, DigitInk ink, out string? problem)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        if ((long)width * height != gray.Length)
            throw new ArgumentException($"{width} × {height} pixels need {(long)width * height} grey levels; {gray.Length} were given.", nameof(gray));
        return Find(new GrayImage(width, height, gray), ink, maxPieces: 4 * 32, out problem);
    }

    /// <summary>The line of <paramref name="image"/>; see <see cref="FromGray"/>.</summary>
    internal static NumberLine? Find(GrayImage image, DigitInk ink, int maxPieces, out string? problem)
    {
        if (InkMap.Find(image, ink, out problem) is not { } map)
            return null;
        if (InkBlobs.Find(map, 0.04f, maxPieces) is not { } blobs)
        {
            problem = $"more than {maxPieces} separate pieces of ink: noise or text, not a number";
            return null;
        }
        float digit = blobs.DigitHeight;
        var digits = blobs.Blobs.Where(b => b.Height <= TallShare * digit).ToList();
        if (digits.Count == 0)
        {
            problem = "no ink found that is tall enough to be a digit (only specks or lines)";
            return null;
        }
        float top = digits.Min(b => b.Y0) - MarginAbove * digit, bottom = digits.Max(b => b.Y1) + 1 + MarginAbove * digit;
        float left = digits.Min(b => b.X0) - MarginSide * digit, right = digits.Max(b => b.X1) + 1 + MarginSide * digit;
        float scale = Height / (bottom - top);
        int width = (int)Math.Round((right - left) * scale);
        if (width > MaxWidth)
        {
            problem = $"the number's band is {width} columns wide at {Height} rows tall; at most {MaxWidth} are read (one row of at most about 40 digits)";
            return null;
        }
        width = Math.Max(width, Height / 2);
        problem = null;
        return new NumberLine(Resample(map.Strength, image.Width, image.Height, left, top, scale, width), width, scale, left, top);
    }

    /// <summary>The <see cref="Height"/> × <paramref name="width"/> strip whose pixel (x, y) covers the image from
    /// (left + x / scale, top + y / scale), each strip pixel the mean of the image over its footprint (bilinear when the
    /// strip is finer than the image); outside the image is paper (0).</summary>
    private static float[] Resample(float[] source, int w, int h, float left, float top, float scale, int width)
    {
        var strip = new float[Height * width];
        float step = 1 / scale;
        // Samples per strip pixel along each axis: enough that every image pixel under the footprint is seen.
        int taps = Math.Max(1, (int)Math.Ceiling(step));
        float inner = step / taps;
        for (int y = 0; y < Height; y++)
            for (int x = 0; x < width; x++)
            {
                float sum = 0;
                for (int j = 0; j < taps; j++)
                {
                    float sy = top + y * step + (j + 0.5f) * inner - 0.5f;
                    for (int i = 0; i < taps; i++)
                        sum += Bilinear(source, w, h, left + x * step + (i + 0.5f) * inner - 0.5f, sy);
                }
                strip[y * width + x] = sum / (taps * taps);
            }
        return strip;
    }

    private static float Bilinear(float[] source, int w, int h, float x, float y)
    {
        int x0 = (int)MathF.Floor(x), y0 = (int)MathF.Floor(y);
        float tx = x - x0, ty = y - y0;
        return (At(source, w, h, x0, y0) * (1 - tx) + At(source, w, h, x0 + 1, y0) * tx) * (1 - ty)
             + (At(source, w, h, x0, y0 + 1) * (1 - tx) + At(source, w, h, x0 + 1, y0 + 1) * tx) * ty;
    }

    private static float At(float[] source, int w, int h, int x, int y) =>
        x < 0 || y < 0 || x >= w || y >= h ? 0 : source[y * w + x];
}
