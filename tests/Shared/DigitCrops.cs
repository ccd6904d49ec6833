// DigitCrops.cs — a 28 × 28 MNIST digit cropped to its ink and enlarged by a whole factor, for tests that compose numbers
// from MNIST digits (the scoring tests' NumberImages, the packaged app's photo of a number).
namespace DigitsML.Testing;

internal static class DigitCrops
{
    /// <summary>The digit's ink box, scaled by <paramref name="scale"/> with pixel replication (MNIST's anti-aliased
    /// edges stay soft): pixels of <paramref name="digit"/> (784 values, 0 paper) and the crop's width and height.</summary>
    public static (float[] Pixels, int W, int H) Crop(ReadOnlySpan<float> digit, int scale)
    {
        int x0 = 28, x1 = -1, y0 = 28, y1 = -1;
        for (int y = 0; y < 28; y++)
            for (int x = 0; x < 28; x++)
                if (digit[y * 28 + x] > 0)
                    (x0, x1, y0, y1) = (Math.Min(x0, x), Math.Max(x1, x), Math.Min(y0, y), Math.Max(y1, y));
        int w = (x1 - x0 + 1) * scale, h = (y1 - y0 + 1) * scale;
        var pixels = new float[w * h];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                pixels[y * w + x] = digit[(y0 + y / scale) * 28 + x0 + x / scale];
        return (pixels, w, h);
    }
}
