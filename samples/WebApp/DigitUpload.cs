// DigitUpload.cs — what a POST /api/digits body holds once read and checked, before any decoding: 784 pixels, or an
// encoded image whose size its header states.
using SkiaSharp;

namespace DigitsML.WebApp;

/// <summary>A request's body, read (at most <see cref="AppLimits.MaxBodyBytes"/>) and checked as far as that is cheap:
/// JSON pixels parsed, an image's header read for its size. Decoding the image, the expensive part, is
/// <see cref="Features"/>, which the endpoint calls under the limiter that <see cref="ImagePixels"/> picks.</summary>
public sealed class DigitUpload
{
    private readonly float[]? pixels;
    private readonly byte[]? image;

    private DigitUpload(float[]? pixels, byte[]? image, long imagePixels)
    {
        this.pixels = pixels;
        this.image = image;
        ImagePixels = imagePixels;
    }

    /// <summary>The pixels the image's header states (width × height), or 0 for JSON pixels.</summary>
    public long ImagePixels { get; }

    /// <summary>The encoded image as sent (its header checked), or null for JSON pixels.</summary>
    public byte[]? Image => image;

    /// <summary>784 pixels sent as JSON, used as they are.</summary>
    public static DigitUpload FromPixels(float[] pixels) => new(pixels, null, 0);

    /// <summary>An encoded image, its header read (not its pixels).</summary>
    /// <exception cref="BadDigitRequestException">400: empty, not an image that LoadImages decodes, or more than
    /// <see cref="AppLimits.MaxImagePixels"/> pixels.</exception>
    public static DigitUpload FromImage(byte[] encoded, AppLimits limits)
    {
        if (encoded.Length == 0)
            throw new BadDigitRequestException(400, "the image is empty (0 bytes)");
        var (width, height) = Size(encoded)
            ?? throw new BadDigitRequestException(400, "not an image LoadImages decodes (PNG, JPEG, BMP, GIF, WebP)");
        return new DigitUpload(null, encoded, CheckPixels(width, height, limits));
    }

    /// <summary>The width and height that the image's header states, or null when <paramref name="encoded"/> is not (or
    /// does not yet hold: see <see cref="DigitRequest"/>, which asks this of the first bytes of a body) the header of an
    /// image LoadImages decodes. SkiaSharp's codec reads the header only: this is the one header reader of the app.</summary>
    public static (int Width, int Height)? Size(ReadOnlySpan<byte> encoded)
    {
        // SKData in memory, never a managed stream (see DigitFeatures).
        using var data = SKData.CreateCopy(encoded);
        using var codec = SKCodec.Create(data);
        return codec is null ? null : (codec.Info.Width, codec.Info.Height);
    }

    /// <summary>The pixels of a <paramref name="width"/> × <paramref name="height"/> image.</summary>
    /// <exception cref="BadDigitRequestException">400: more than <see cref="AppLimits.MaxImagePixels"/>.</exception>
    public static long CheckPixels(int width, int height, AppLimits limits)
    {
        long count = (long)width * height;
        if (count > limits.MaxImagePixels)
            throw new BadDigitRequestException(400,
                $"{width} × {height} pixels is more than the {limits.MaxImagePixels:N0} allowed (Limits:MaxImagePixels)");
        return count;
    }

    /// <summary>The model's 784 features: the pixels, or the image decoded and prepared as LoadImages → NormalizeDigit.</summary>
    /// <exception cref="BadDigitRequestException">400: the image is truncated or damaged.</exception>
    public float[] Features(AppLimits limits)
    {
        if (pixels is not null)
            return pixels;
        try
        {
            return DigitFeatures.FromImage(image, DigitInk.Auto, limits.MaxImagePixels);
        }
        catch (DataFormatException e)
        {
            string limit = e.Message.Contains("allowed", StringComparison.Ordinal) ? " (Limits:MaxImagePixels)" : "";
            throw new BadDigitRequestException(400, e.Message + limit);
        }
    }
}
