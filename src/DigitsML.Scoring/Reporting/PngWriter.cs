// PngWriter.cs — grey images as PNG data URIs for the report, encoded by SkiaSharp (which ImageAnalytics brings).
using SkiaSharp;

namespace DigitsML.Reporting;

/// <summary>Encodes grey-level images as 8-bit grey PNG.</summary>
internal static class PngWriter
{
    /// <summary>Encodes <paramref name="values"/> (row-major, 0 = black, 1 = white, clamped) of a width × height image.</summary>
    internal static byte[] EncodeGray(int width, int height, ReadOnlySpan<float> values)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        if (values.Length != width * height)
            throw new ArgumentException($"A {width} × {height} image needs {width * height} values, not {values.Length}.", nameof(values));
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque));
        var pixels = new byte[values.Length];
        for (int i = 0; i < pixels.Length; i++)
            pixels[i] = (byte)Math.Round(Math.Clamp(float.IsNaN(values[i]) ? 0 : values[i], 0, 1) * 255);
        System.Runtime.InteropServices.Marshal.Copy(pixels, 0, bitmap.GetPixels(), pixels.Length);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>"data:image/png;base64,…" of <see cref="EncodeGray"/>.</summary>
    internal static string DataUri(int width, int height, ReadOnlySpan<float> values) =>
        "data:image/png;base64," + Convert.ToBase64String(EncodeGray(width, height, values));
}
