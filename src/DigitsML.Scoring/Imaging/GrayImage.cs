// GrayImage.cs — a decoded picture as grey levels in [0, 1], the value LoadImages puts in an image column.
using Microsoft.ML.Data;

namespace DigitsML.Imaging;

/// <summary>An immutable grey-level image: <see cref="Width"/> × <see cref="Height"/> values in [0, 1], row by row from
/// the top-left, 0 black and 1 white. Colour is reduced to luma (ITU-R BT.601: 0.299 R + 0.587 G + 0.114 B, as PIL's
/// "L" mode) and transparency is laid over white paper, so a transparent pixel reads 1. Two images are equal when their
/// sizes and every value are equal.</summary>
internal sealed class GrayImage : IEquatable<GrayImage>
{
    /// <summary>The most pixels an image may have, 64 Mi (e.g. 8192 × 8192); decoders refuse larger files before
    /// allocating anything for them.</summary>
    public const int MaxPixels = 64 * 1024 * 1024;

    private readonly float[] pixels;

    /// <summary>Creates an image from <paramref name="pixels"/> (copied), row by row.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is less than 1, exceeds <see cref="MaxPixels"/>
    /// pixels in all, or <paramref name="pixels"/> does not hold width × height values.</exception>
    /// <exception cref="ArgumentException">A value is not in [0, 1].</exception>
    public GrayImage(int width, int height, ReadOnlySpan<float> pixels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan((long)width * height, MaxPixels, nameof(width));
        if (pixels.Length != width * height)
            throw new ArgumentOutOfRangeException(nameof(pixels), pixels.Length, $"A {width} × {height} image needs {width * height} values.");
        foreach (float p in pixels)
            if (!(p >= 0 && p <= 1))
                throw new ArgumentException($"Grey levels must be in [0, 1]; found {p}.", nameof(pixels));
        Width = width;
        Height = height;
        this.pixels = pixels.ToArray();
    }

    /// <summary>Takes ownership of <paramref name="pixels"/>; the decoders have already checked sizes and range.</summary>
    internal GrayImage(int width, int height, float[] pixels, bool owned)
    {
        System.Diagnostics.Debug.Assert(owned && pixels.Length == width * height);
        Width = width;
        Height = height;
        this.pixels = pixels;
    }

    /// <summary>Pixels per row.</summary>
    public int Width { get; }

    /// <summary>Rows.</summary>
    public int Height { get; }

    /// <summary>All values, row by row from the top-left.</summary>
    public ReadOnlySpan<float> Pixels => pixels;

    /// <summary>The value at column <paramref name="x"/> of row <paramref name="y"/>.</summary>
    /// <exception cref="IndexOutOfRangeException">The position is outside the image.</exception>
    public float this[int x, int y] =>
        (uint)x < (uint)Width && (uint)y < (uint)Height ? pixels[y * Width + x] : throw new IndexOutOfRangeException($"({x}, {y}) is outside a {Width} × {Height} image.");

    /// <summary>The grey levels of a decoded <see cref="MLImage"/> (what ML.NET's <c>LoadImages</c> puts in an image
    /// column): luma of each 32-bit pixel, transparency laid over white paper. An MLImage's pixels are premultiplied by
    /// their alpha (SkiaSharp's <c>SKBitmap.Decode</c>, which MLImage uses, decodes to premultiplied colour), so the
    /// colour is already the ink's share and only the paper's share, 1 − alpha, is added.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The image is larger than <see cref="MaxPixels"/> or its pixel format
    /// is not 32-bit BGRA or RGBA.</exception>
    internal static GrayImage FromMLImage(MLImage image)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((long)image.Width * image.Height, MaxPixels, nameof(image));
        return FromPixels(image.Width, image.Height, image.PixelFormat, image.Pixels);
    }

    /// <summary>The grey levels of 32-bit premultiplied pixels laid out as an <see cref="MLImage"/>'s (see
    /// <see cref="FromMLImage"/>): what an in-memory decode that mirrors <c>LoadImages</c> hands over.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The pixel format is not 32-bit BGRA or RGBA.</exception>
    internal static GrayImage FromPixels(int w, int h, MLPixelFormat format, ReadOnlySpan<byte> bytes)
    {
        (int r, int b) = format switch
        {
            MLPixelFormat.Bgra32 => (2, 0),
            MLPixelFormat.Rgba32 => (0, 2),
            var other => throw new ArgumentOutOfRangeException(nameof(format), other, "Only 32-bit BGRA or RGBA images are read."),
        };
        var pixels = new float[w * h];
        for (int i = 0; i < pixels.Length; i++)
        {
            var p = bytes.Slice(4 * i, 4);
            float alpha = p[3] / 255f;
            float luma = (0.299f * p[r] + 0.587f * p[1] + 0.114f * p[b]) / 255f;  // premultiplied: luma × alpha
            pixels[i] = Math.Clamp(luma + (1 - alpha), 0, 1);
        }
        return new GrayImage(w, h, pixels, owned: true);
    }

    /// <inheritdoc />
    public bool Equals(GrayImage? other) =>
        other is not null && other.Width == Width && other.Height == Height && other.pixels.AsSpan().SequenceEqual(pixels);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as GrayImage);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Width, Height, pixels.Length > 0 ? pixels[pixels.Length / 2] : 0);

    /// <summary>"GrayImage 120 × 160".</summary>
    public override string ToString() => $"GrayImage {Width} × {Height}";
}
