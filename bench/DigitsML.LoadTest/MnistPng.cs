// MnistPng.cs — --make-png: one MNIST test image written as the 28 × 28 grayscale PNG a user would post, so the load
// test sends a real digit that the server decodes, normalizes and scores.
using DigitsML;
using Microsoft.ML;
using SkiaSharp;

namespace DigitsML.LoadTest;

internal static class MnistPng
{
    /// <summary>Writes image <paramref name="index"/> of the MNIST test set in <paramref name="mnistDir"/> to
    /// <paramref name="pngPath"/> as an 8-bit grayscale PNG (white ink on black, as MNIST stores it) and returns its
    /// label; <paramref name="size"/> above 28 (at most 8192) scales it up bilinearly to that many pixels square. Throws <see cref="FileNotFoundException"/> or <see cref="DataFormatException"/> for missing or malformed
    /// IDX files and <see cref="ArgumentException"/> for an index past the test set.</summary>
    public static unsafe int Write(string mnistDir, int index, string pngPath, int size = 28)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 28);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(size, 8192);
        var ml = new MLContext();
        string images = Path.Combine(mnistDir, "t10k-images-idx3-ubyte");
        IDataView test = ml.Data.LoadFromIdx(images, Path.Combine(mnistDir, "t10k-labels-idx1-ubyte"));
        long count = test.GetRowCount() ?? long.MaxValue;
        if (index < 0 || index >= count)
            throw new ArgumentException($"--index {index} is not a test image: give 0 to {count - 1}");
        IDataView one = ml.Data.TakeRows(index > 0 ? ml.Data.SkipRows(test, index) : test, 1);  // SkipRows refuses 0
        MnistRow row = ml.Data.CreateEnumerable<MnistRow>(one, reuseRowObject: false).Single();

        using var bitmap = new SKBitmap(new SKImageInfo(size, size, SKColorType.Gray8, SKAlphaType.Opaque));
        if (row.Features.Length != 28 * 28 || bitmap.RowBytes != size)
            throw new DataFormatException(images, $"image {index} has {row.Features.Length} pixels, not 28 × 28");
        // SkiaSharp 2.88 hands out its pixels read-only as a span; the bitmap owns the memory and outlives the span.
        var pixels = new Span<byte>((void*)bitmap.GetPixels(), size * size);
        if (size == 28)
        {
            // The view divides each stored byte by 255; multiplying back and rounding gives the stored byte exactly.
            for (int i = 0; i < pixels.Length; i++)
                pixels[i] = (byte)Math.Round(Math.Clamp(row.Features[i], 0f, 1f) * 255f);
        }
        else
        {
            Upscale(row.Features, pixels, size);
        }
        using SKData png = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        string? folder = Path.GetDirectoryName(Path.GetFullPath(pngPath));
        if (folder is not null)
            Directory.CreateDirectory(folder);
        using (var file = File.Create(pngPath))
            png.SaveTo(file);
        return (int)row.Label;
    }

    // Bilinear, pixel centres aligned: the smooth big digit a scanner or a camera would give (a flood's image, issue 20).
    private static void Upscale(float[] features, Span<byte> pixels, int size)
    {
        float scale = 28f / size;
        for (int y = 0; y < size; y++)
        {
            float sy = Math.Clamp((y + 0.5f) * scale - 0.5f, 0, 27);
            int y0 = (int)sy, y1 = Math.Min(y0 + 1, 27);
            float fy = sy - y0;
            for (int x = 0; x < size; x++)
            {
                float sx = Math.Clamp((x + 0.5f) * scale - 0.5f, 0, 27);
                int x0 = (int)sx, x1 = Math.Min(x0 + 1, 27);
                float fx = sx - x0;
                float top = features[y0 * 28 + x0] * (1 - fx) + features[y0 * 28 + x1] * fx;
                float bottom = features[y1 * 28 + x0] * (1 - fx) + features[y1 * 28 + x1] * fx;
                pixels[y * size + x] = (byte)Math.Round(Math.Clamp(top * (1 - fy) + bottom * fy, 0f, 1f) * 255f);
            }
        }
    }

    // The columns of ml.Data.LoadFromIdx.
    private sealed class MnistRow
    {
        public float Label { get; set; }

        public float[] Features { get; set; } = [];
    }
}
