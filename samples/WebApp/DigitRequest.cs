// DigitRequest.cs — reads a POST /api/digits request into pixels or an image whose size is known, or a one-line reason
// why not; the decoding itself waits for its limiter (ScoringLimiters).
using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace DigitsML.WebApp;

/// <summary>Reads the three bodies the endpoint takes: an image (PNG, JPEG, BMP, GIF, WebP) as the raw body with an
/// <c>image/*</c> content type, the same as the one file part of <c>multipart/form-data</c>, or JSON
/// <c>{"pixels": [784 numbers]}</c>. An image's header is read here; it is decoded and prepared later, as
/// <c>LoadImages</c> → <c>NormalizeDigit</c> would (<see cref="DigitUpload.Features"/>); pixels are used as they are,
/// so they must already be MNIST-like (28 × 28, row by row, in [0, 1], ink bright on dark, the digit centred).</summary>
public static class DigitRequest
{
    /// <summary>Pixels in a JSON request: 28 × 28.</summary>
    public const int PixelCount = 28 * 28;

    private const string ImageUsage = "send an image (image/png, image/jpeg, ... or multipart/form-data with one file)";

    private const string Usage = "send an image (image/png, image/jpeg, ... or multipart/form-data with one file) or " +
                                 "application/json {\"pixels\": [784 numbers in [0, 1]]}";

    /// <summary>The longest multipart boundary RFC 2046 allows.</summary>
    public const int MaxBoundaryLength = 70;

    /// <summary>The request's body, read and checked as far as that is cheap (an image's header, not its pixels).</summary>
    /// <exception cref="BadDigitRequestException">400: the body is empty, larger than the limit, not an image, an image
    /// of too many pixels, a form without exactly one file, or JSON without 784 pixels in [0, 1]; 415: another content
    /// type (JSON too when <paramref name="imagesOnly"/>).</exception>
    /// <param name="request">The request.</param>
    /// <param name="limits">The app's limits.</param>
    /// <param name="cancel">The request's cancellation.</param>
    /// <param name="imagesOnly">True for an endpoint that reads images only (POST /api/numbers: a number is not 28 × 28
    /// pixels).</param>
    public static async Task<DigitUpload> ReadAsync(HttpRequest request, AppLimits limits, CancellationToken cancel, bool imagesOnly = false)
    {
        string usage = imagesOnly ? ImageUsage : Usage;
        if (request.ContentLength > limits.MaxBodyBytes)
            throw TooLarge(request.ContentLength, limits);
        byte[] body = await ReadBodyAsync(request.Body, limits, cancel);
        if (body.Length == 0)
            throw new BadDigitRequestException(400, $"the body is empty: {usage}");
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType) || contentType.MediaType.Value is not { } media)
            throw new BadDigitRequestException(415, $"no content type given: {usage}");
        if (media.StartsWith("image/", StringComparison.OrdinalIgnoreCase))
            return DigitUpload.FromImage(body, limits);
        if (media.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
            return DigitUpload.FromImage(await FilePartAsync(body, contentType, cancel), limits);
        if (!imagesOnly && (media.Equals("application/json", StringComparison.OrdinalIgnoreCase) || media.EndsWith("+json", StringComparison.OrdinalIgnoreCase)))
            return DigitUpload.FromPixels(Pixels(body));
        throw new BadDigitRequestException(415, $"the content type {media} is not read here: {usage}");
    }

    private static BadDigitRequestException TooLarge(long? size, AppLimits limits) => new(400, size is { } bytes
        ? $"the body is {bytes:N0} bytes, more than the {limits.MaxBodyBytes:N0} bytes allowed (Limits:MaxBodyBytes)"
        : $"the body is longer than the {limits.MaxBodyBytes:N0} bytes allowed (Limits:MaxBodyBytes)");

    /// <summary>The whole body, read up to one byte past the limit (a body without a length is stopped there too).</summary>
    private static async Task<byte[]> ReadBodyAsync(Stream body, AppLimits limits, CancellationToken cancel)
    {
        using var copy = new MemoryStream();
        byte[] chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await body.ReadAsync(chunk, cancel)) > 0)
            {
                if (copy.Length + read > limits.MaxBodyBytes)
                    throw TooLarge(null, limits);
                copy.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
        return copy.ToArray();
    }

    /// <summary>The bytes of the form's one file part (a part whose Content-Disposition names a file name).</summary>
    private static async Task<byte[]> FilePartAsync(byte[] body, MediaTypeHeaderValue contentType, CancellationToken cancel)
    {
        string boundary = HeaderUtilities.RemoveQuotes(contentType.Boundary).Value ?? "";
        if (boundary.Length == 0)
            throw new BadDigitRequestException(400, "the multipart/form-data content type has no boundary");
        // MultipartReader cannot buffer a boundary of about 4 KiB or more (an ArgumentOutOfRangeException, a 500 once).
        if (boundary.Length > MaxBoundaryLength)
            throw new BadDigitRequestException(400, $"the multipart/form-data boundary is {boundary.Length:N0} characters long: " +
                                                    $"RFC 2046 allows at most {MaxBoundaryLength}");
        var reader = new MultipartReader(boundary, new MemoryStream(body));
        byte[]? file = null;
        int files = 0;
        try
        {
            while (await reader.ReadNextSectionAsync(cancel) is { } section)
            {
                if (section.GetContentDispositionHeader() is not { } disposition || !disposition.IsFileDisposition())
                    continue; // other form fields are allowed and ignored
                using var bytes = new MemoryStream();
                await section.Body.CopyToAsync(bytes, cancel);
                file = bytes.ToArray();
                files++;
            }
        }
        catch (IOException)
        {
            // MultipartReader's "Unexpected end of Stream, the content may have already been read by another component."
            throw new BadDigitRequestException(400, $"the multipart/form-data body is malformed (it ends before the closing boundary --{boundary}--)");
        }
        catch (Exception e) when (e is InvalidDataException or FormatException)
        {
            throw new BadDigitRequestException(400, $"the multipart/form-data body is malformed ({e.Message.ReplaceLineEndings(" ")})");
        }
        return files switch
        {
            1 => file!,
            0 => throw new BadDigitRequestException(400, "the form has no file part: send the image as a file field"),
            _ => throw new BadDigitRequestException(400, $"the form has {files} file parts: send one image"),
        };
    }

    /// <summary>The pixels of <c>{"pixels": [...]}</c>, each checked: a number, finite, in [0, 1].</summary>
    private static float[] Pixels(byte[] body)
    {
        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            throw new BadDigitRequestException(400, $"the body is not valid JSON ({e.Message.ReplaceLineEndings(" ")})");
        }
        using (json)
        {
            if (json.RootElement.ValueKind != JsonValueKind.Object || !json.RootElement.TryGetProperty("pixels", out var pixels)
                || pixels.ValueKind != JsonValueKind.Array)
                throw new BadDigitRequestException(400, "the JSON has no \"pixels\" array: send {\"pixels\": [784 numbers in [0, 1]]}");
            int count = pixels.GetArrayLength();
            if (count != PixelCount)
                throw new BadDigitRequestException(400, $"expected {PixelCount} pixels (28 × 28, row by row), got {count}");
            var features = new float[PixelCount];
            int i = 0;
            foreach (var pixel in pixels.EnumerateArray())
            {
                if (pixel.ValueKind != JsonValueKind.Number)
                    throw new BadDigitRequestException(400, $"pixel {i} is {Shown(pixel)}, not a number in [0, 1] (NaN is sent as null by JSON.stringify)");
                if (!pixel.TryGetSingle(out float value) || !float.IsFinite(value) || value is < 0 or > 1)
                    throw new BadDigitRequestException(400, $"pixel {i} is {Truncated(pixel.GetRawText())}, outside [0, 1]");
                features[i++] = value;
            }
            return features;
        }
    }

    private static string Shown(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null => "null",
        JsonValueKind.String => $"the string {Truncated(value.GetRawText())}",
        JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        _ => $"an {value.ValueKind.ToString().ToLowerInvariant()}",
    };

    private static string Truncated(string text) => text.Length <= 20 ? text : text[..20] + "…";
}
