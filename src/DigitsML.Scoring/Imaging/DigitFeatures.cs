// DigitFeatures.cs — NormalizeDigit's features for one encoded image held in memory (an upload), without a pipeline.
using DigitsML.Imaging;

namespace DigitsML;

/// <summary>The features <c>LoadImages</c> → <c>NormalizeDigit</c> make of an image file, made from the file's bytes in
/// memory: what a web service or an app with a camera needs for one image at a time, ready for a
/// <see cref="DigitInput"/>. The bytes are decoded as <c>LoadImages</c> decodes a file (PNG, JPEG, BMP, GIF, WebP through
/// SkiaSharp; the same pixels, so the same features, bit for bit) but never through a managed stream, where
/// SkiaSharp 2.88.9 can end the process on a hostile BMP; a truncated image is refused rather than filled in. Safe to call
/// from any number of threads.</summary>
public static class DigitFeatures
{
    /// <summary>The most pixels an image may have unless a caller asks for fewer: 64 Mi (8192 × 8192), as NormalizeDigit.</summary>
    public const int MaxPixels = GrayImage.MaxPixels;

    /// <summary>The largest image file <see cref="FromImageFile"/> reads: 256 MiB (checked before the file is read).</summary>
    public const long MaxFileBytes = 256L * 1024 * 1024;

    /// <summary>The MNIST-style digit in <paramref name="encoded"/>: 28 × 28 grey levels in [0, 1], row by row, ink near
    /// 1, prepared as <see cref="DigitsTransformsCatalog.NormalizeDigit"/> describes (all zeros for an image without ink).</summary>
    /// <param name="encoded">The bytes of a PNG, JPEG, BMP, GIF or WebP image.</param>
    /// <param name="ink">How ink is told from paper; default <see cref="DigitInk.Auto"/>, from the image's border.</param>
    /// <param name="maxPixels">Images with more pixels are refused before their pixels are allocated; default
    /// <see cref="MaxPixels"/>. A server sets it lower: decoding takes about 8 bytes of memory per pixel.</param>
    /// <returns>784 values, the layout of <see cref="DigitInput.Features"/>.</returns>
    /// <exception cref="DataFormatException">The bytes are empty, not an image of those formats, truncated or damaged, or
    /// more than <paramref name="maxPixels"/> pixels; the message says which, in one line, and
    /// <see cref="DataFormatException.FilePath"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="ink"/> is not a <see cref="DigitInk"/>, or
    /// <paramref name="maxPixels"/> is less than 1 or more than <see cref="MaxPixels"/>.</exception>
    public static float[] FromImage(ReadOnlySpan<byte> encoded, DigitInk ink = DigitInk.Auto, int maxPixels = MaxPixels)
    {
        if (!Enum.IsDefined(ink))
            throw new ArgumentOutOfRangeException(nameof(ink), ink, "Not a DigitInk value.");
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPixels, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxPixels, MaxPixels);
        if (encoded.IsEmpty)
            throw new DataFormatException(null, "the image is empty (0 bytes)");
        string limit = maxPixels == MaxPixels ? "NormalizeDigit reads" : "allowed";
        if (EncodedImage.Decode(encoded, maxPixels, limit, keepPixels: true, out var image) is { } problem)
            throw new DataFormatException(null, problem);
        var features = new float[DigitNormalizer.Frame * DigitNormalizer.Frame];
        DigitNormalizer.Normalize(image!, ink, features);
        return features;
    }

    /// <summary>The MNIST-style digit in the image file at <paramref name="path"/>, decoded by the same rule as
    /// <see cref="FromImage"/>: the file's size is checked before it is read, and the image's size from its header
    /// before its pixels are allocated, so a small file claiming a huge image is refused at once.</summary>
    /// <param name="path">A PNG, JPEG, BMP, GIF or WebP file.</param>
    /// <param name="ink">How ink is told from paper; default <see cref="DigitInk.Auto"/>.</param>
    /// <param name="maxPixels">Images with more pixels are refused before decoding; default <see cref="MaxPixels"/>.</param>
    /// <returns>784 values, the layout of <see cref="DigitInput.Features"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="DataFormatException">The file does not exist, cannot be read, is empty or larger than
    /// <see cref="MaxFileBytes"/>, or its bytes are refused as by <see cref="FromImage"/>;
    /// <see cref="DataFormatException.FilePath"/> is <paramref name="path"/> and the message names it and the cause.</exception>
    /// <exception cref="ArgumentOutOfRangeException">As for <see cref="FromImage"/>.</exception>
    public static float[] FromImageFile(string path, DigitInk ink = DigitInk.Auto, int maxPixels = MaxPixels)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (EncodedImage.ReadFile(path, MaxFileBytes, out byte[]? bytes) is { } problem)
            throw new DataFormatException(path, problem);
        try
        {
            return FromImage(bytes, ink, maxPixels);
        }
        catch (DataFormatException e)
        {
            throw new DataFormatException(path, e.Message);
        }
    }
}
