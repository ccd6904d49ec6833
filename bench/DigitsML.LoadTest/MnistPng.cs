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
    /// label. Throws <see cref="FileNotFoundException"/> or <see cref="DataFormatException"/> for missing or malformed
    /// IDX files and <see cref="ArgumentException"/> for an index past the test set.</summary>
    public static unsafe int Write(string mnistDir, int index, string pngPath)
    {
        var ml = new MLContext();
        string images = Path.Combine(mnistDir, "t10k-images-idx3-ubyte");
        IDataView test = ml.Data.LoadFromIdx(images, Path.Combine(mnistDir, "t10k-labels-idx1-ubyte"));
        long count = test.GetRowCount() ?? long.MaxValue;
        if (index < 0 || index >= count)
            throw new ArgumentException($"--index {index} is not a test image: give 0 to {count - 1}");
        IDataView one = ml.Data.TakeRows(index > 0 ? ml.Data.SkipRows(test, index) : test, 1);  // SkipRows refuses 0
        MnistRow row = ml.Data.CreateEnumerable<MnistRow>(one, reuseRowObject: false).Single();

        using var bitmap = new SKBitmap(new SKImageInfo(28, 28, SKColorType.Gray8, SKAlphaType.Opaque));
        if (row.Features.Length != 28 * 28 || bitmap.RowBytes != 28)
            throw new DataFormatException(images, $"image {index} has {row.Features.Length} pixels, not 28 × 28");
        // SkiaSharp 2.88 hands out its pixels read-only as a span; the bitmap owns the memory and outlives the span.
        var pixels = new Span<byte>((void*)bitmap.GetPixels(), 28 * 28);
        // The view divides each stored byte by 255; multiplying back and rounding gives the stored byte exactly.
        for (int i = 0; i < pixels.Length; i++)
            pixels[i] = (byte)Math.Round(Math.Clamp(row.Features[i], 0f, 1f) * 255f);
        using SKData png = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        string? folder = Path.GetDirectoryName(Path.GetFullPath(pngPath));
        if (folder is not null)
            Directory.CreateDirectory(folder);
        using (var file = File.Create(pngPath))
            png.SaveTo(file);
        return (int)row.Label;
    }

    // The columns of ml.Data.LoadFromIdx.
    private sealed class MnistRow
    {
        public float Label { get; set; }

        public float[] Features { get; set; } = [];
    }
}
