// EncodedImage.cs — decodes an encoded image held in memory the way LoadImages decodes a file, minus SkiaSharp's crash.
using Microsoft.ML.Data;
using SkiaSharp;

namespace DigitsML.Imaging;

/// <summary>Decodes PNG, JPEG, BMP, GIF or WebP bytes to the pixels <c>LoadImages</c> would put in an image column
/// (<c>MLImage.CreateFromFile</c> is <c>SKBitmap.Decode</c>: the codec's own colour type with premultiplied alpha and no
/// colour space, then 32-bit BGRA when that type is not 32-bit), so the grey levels are the same. It reads from an
/// <see cref="SKData"/> copy, never from a managed stream: SkiaSharp 2.88.9's managed stream ends the process on a BMP
/// whose pixel offset lies past 2 GiB (an exception thrown inside a native callback), where the same bytes in memory are
/// refused. Unlike <c>SKBitmap.Decode</c>, a truncated image is refused rather than filled in.</summary>
internal static class EncodedImage
{
    /// <summary>What is wrong with <paramref name="encoded"/> (one line), or null when it decodes whole. Images of more
    /// than <paramref name="maxPixels"/> pixels are refused before anything is allocated for them; when the image decodes
    /// and <paramref name="keepPixels"/> is set, <paramref name="image"/> holds its grey levels, otherwise null.
    /// <paramref name="limitName"/> says who sets the limit, for the message ("NormalizeDigit reads").</summary>
    internal static string? Decode(ReadOnlySpan<byte> encoded, long maxPixels, string limitName, bool keepPixels, out GrayImage? image)
    {
        image = null;
        using var data = SKData.CreateCopy(encoded);
        using var codec = SKCodec.Create(data);
        if (codec is null)
            return "not an image LoadImages decodes (PNG, JPEG, BMP, GIF, WebP)";
        var info = codec.Info;
        if ((long)info.Width * info.Height > maxPixels)
            return $"{info.Width} × {info.Height} pixels is more than the {maxPixels:N0} {limitName}";
        // As SKBitmap.Decode(SKCodec), which MLImage uses: premultiplied alpha, no colour space (no colour conversion).
        if (info.AlphaType == SKAlphaType.Unpremul)
            info.AlphaType = SKAlphaType.Premul;
        info.ColorSpace = null;
        using var bitmap = new SKBitmap();
        if (!bitmap.TryAllocPixels(info))
            return $"{info.Width} × {info.Height} pixels cannot be allocated";
        var decoded = codec.GetPixels(info, bitmap.GetPixels());
        if (decoded != SKCodecResult.Success)
            return decoded is SKCodecResult.IncompleteInput or SKCodecResult.ErrorInInput
                ? $"its {codec.EncodedFormat} data is truncated or damaged (LoadImages would fill in the missing pixels)"
                : $"its {codec.EncodedFormat} data cannot be decoded ({decoded})";
        if (!keepPixels)
            return null;
        if (info.ColorType is SKColorType.Bgra8888 or SKColorType.Rgba8888)
        {
            image = GrayImage.FromPixels(info.Width, info.Height, Format(info.ColorType), PixelsOf(bitmap));
            return null;
        }
        // MLImage copies any other colour type (grey, 565, ...) to 32-bit BGRA.
        using var bgra = bitmap.Copy(SKColorType.Bgra8888);
        if (bgra is null)
            return $"its {codec.EncodedFormat} pixels ({info.ColorType}) cannot be converted to 32-bit colour";
        image = GrayImage.FromPixels(info.Width, info.Height, MLPixelFormat.Bgra32, PixelsOf(bgra));
        return null;
    }

    /// <summary>What is wrong with the image file at <paramref name="path"/> before it is decoded (missing, unreadable,
    /// empty, larger than <paramref name="maxBytes"/>), or null with its bytes in <paramref name="bytes"/>. The size is
    /// checked before the file is read.</summary>
    internal static string? ReadFile(string path, long maxBytes, out byte[]? bytes)
    {
        bytes = null;
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            if (file.Length == 0)
                return "the file is empty (0 bytes)";
            if (file.Length > maxBytes)
                return $"the file is {file.Length:N0} bytes, more than the {maxBytes:N0} an image file may have";
            bytes = new byte[file.Length];
            file.ReadExactly(bytes);
            return null;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return "the file does not exist";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return $"the file cannot be read ({e.Message})";
        }
    }

    /// <summary>The bitmap's pixel bytes in place. <c>GetPixels()</c> + <c>ByteCount</c> exist with the same signatures in
    /// SkiaSharp 2.88 and 3.x; <c>GetPixelSpan()</c> changed its return type in 3.x (MissingMethodException at run time).</summary>
    private static unsafe ReadOnlySpan<byte> PixelsOf(SKBitmap bitmap) => new((void*)bitmap.GetPixels(), bitmap.ByteCount);

    private static MLPixelFormat Format(SKColorType type) => type == SKColorType.Bgra8888 ? MLPixelFormat.Bgra32 : MLPixelFormat.Rgba32;
}
