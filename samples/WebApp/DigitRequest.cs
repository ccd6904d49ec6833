// DigitRequest.cs — reads a POST /api/digits request into pixels or an image whose size is known, or a one-line reason
// why not; the decoding itself waits for its limiter (ScoringLimiters).
using System.Buffers;
using System.IO.Pipelines;
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

    /// <summary>The sizes of the body's beginning in which a raw image's header is looked for, smallest first, each as
    /// soon as that much has arrived: a PNG's, BMP's or WebP's size is in its first 64 bytes, a GIF's and a JPEG's after
    /// their tables (about 1 KB for the fixtures); a JPEG with a large EXIF or colour profile block before its frame
    /// header may need 64 KiB.</summary>
    private static readonly int[] HeaderPrefixes = [64, 1024, 4 * 1024, 16 * 1024, 64 * 1024];

    /// <summary>The request's body, read and checked as far as that is cheap (an image's header, not its pixels).</summary>
    /// <exception cref="BadDigitRequestException">400: the body is empty, larger than the limit, not an image, an image
    /// of too many pixels, a form without exactly one file, or JSON without 784 pixels in [0, 1]; 415: another content
    /// type (JSON too when <paramref name="imagesOnly"/>); whatever <paramref name="admit"/> throws.</exception>
    /// <param name="request">The request.</param>
    /// <param name="limits">The app's limits.</param>
    /// <param name="cancel">The request's cancellation.</param>
    /// <param name="imagesOnly">True for an endpoint that reads images only (POST /api/numbers: a number is not 28 × 28
    /// pixels).</param>
    /// <param name="admit">Given a raw image's pixel count as soon as the first bytes of the body state it, before the
    /// rest is read: it may refuse the request by throwing (a 503 when the image's limiter is full). An image over
    /// <see cref="AppLimits.MaxImagePixels"/> is refused there too, with its 400. The body left unread is Kestrel's to
    /// drain or drop; it is never buffered.</param>
    public static async Task<DigitUpload> ReadAsync(HttpRequest request, AppLimits limits, CancellationToken cancel, bool imagesOnly = false,
        Action<long>? admit = null)
    {
        string usage = imagesOnly ? ImageUsage : Usage;
        if (request.ContentLength > limits.MaxBodyBytes)
            throw TooLarge(request.ContentLength, limits);
        bool typed = MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType);
        string? media = typed ? contentType!.MediaType.Value : null;
        bool rawImage = media is not null && media.StartsWith("image/", StringComparison.OrdinalIgnoreCase);
        if (rawImage)
            await CheckHeaderAsync(request.BodyReader, limits, admit, static (prefix, _) => Task.FromResult<byte[]?>(prefix), cancel);
        else if (media is not null && media.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
                 && HeaderUtilities.RemoveQuotes(contentType!.Boundary).Value is { Length: > 0 and <= MaxBoundaryLength } boundary)
            await CheckHeaderAsync(request.BodyReader, limits, admit, (prefix, token) => FilePartStartAsync(prefix, boundary, token), cancel);
        byte[] body = await ReadBodyAsync(request.BodyReader, request.ContentLength, limits, cancel);
        if (body.Length == 0)
            throw new BadDigitRequestException(400, $"the body is empty: {usage}");
        if (media is null)
            throw new BadDigitRequestException(415, $"no content type given: {usage}");
        if (rawImage)
            return DigitUpload.FromImage(body, limits);
        if (media.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
            return DigitUpload.FromImage(await FilePartAsync(body, contentType!, cancel), limits);
        if (!imagesOnly && (media.Equals("application/json", StringComparison.OrdinalIgnoreCase) || media.EndsWith("+json", StringComparison.OrdinalIgnoreCase)))
            return DigitUpload.FromPixels(Pixels(body));
        throw new BadDigitRequestException(415, $"the content type {media} is not read here: {usage}");
    }

    private static BadDigitRequestException TooLarge(long? size, AppLimits limits) => new(400, size is { } bytes
        ? $"the body is {bytes:N0} bytes, more than the {limits.MaxBodyBytes:N0} bytes allowed (Limits:MaxBodyBytes)"
        : $"the body is longer than the {limits.MaxBodyBytes:N0} bytes allowed (Limits:MaxBodyBytes)");

    /// <summary>Looks for an image's header in the first bytes of the body as they arrive (<see cref="HeaderPrefixes"/>),
    /// without consuming them: once found, the pixel count is checked against the limit and given to
    /// <paramref name="admit"/>. <paramref name="imageStart"/> gives the image's first bytes in a prefix of the body (the
    /// prefix itself for a raw image, the start of the first file part for a form), or null when the prefix holds none.
    /// A body whose first 64 KiB hold no header is left to be read whole and judged as before.</summary>
    private static async Task CheckHeaderAsync(PipeReader reader, AppLimits limits, Action<long>? admit,
        Func<byte[], CancellationToken, Task<byte[]?>> imageStart, CancellationToken cancel)
    {
        int next = 0;
        while (next < HeaderPrefixes.Length)
        {
            var read = await reader.ReadAsync(cancel);
            var buffer = read.Buffer;
            (int Width, int Height)? size = null;
            while (size is null && next < HeaderPrefixes.Length && buffer.Length > 0 && (read.IsCompleted || buffer.Length >= HeaderPrefixes[next]))
            {
                int length = (int)Math.Min(buffer.Length, HeaderPrefixes[next]);
                size = await imageStart(Prefix(buffer, length), cancel) is { Length: > 0 } image ? DigitUpload.Size(image) : null;
                next = length < HeaderPrefixes[next] ? HeaderPrefixes.Length : next + 1;  // the whole body tried: done
            }
            bool done = size is not null || read.IsCompleted || next == HeaderPrefixes.Length;
            // Nothing consumed; all examined unless done, so the next read waits for more bytes.
            reader.AdvanceTo(buffer.Start, done ? buffer.Start : buffer.End);
            if (size is var (width, height))
            {
                long pixels = DigitUpload.CheckPixels(width, height, limits);
                admit?.Invoke(pixels);
            }
            if (done)
                return;
        }
    }

    /// <summary>The bytes of the first file part that <paramref name="prefix"/>, the beginning of a form, holds (perhaps
    /// not all of the part), or null when it holds none yet or is not a form.</summary>
    private static async Task<byte[]?> FilePartStartAsync(byte[] prefix, string boundary, CancellationToken cancel)
    {
        var reader = new MultipartReader(boundary, new MemoryStream(prefix));
        try
        {
            while (await reader.ReadNextSectionAsync(cancel) is { } section)
            {
                if (section.GetContentDispositionHeader() is not { } disposition || !disposition.IsFileDisposition())
                    continue;
                using var start = new MemoryStream();
                var chunk = new byte[1024];
                try
                {
                    int read;
                    while ((read = await section.Body.ReadAsync(chunk, cancel)) > 0)
                        start.Write(chunk, 0, read);
                }
                catch (IOException)
                {
                    // The prefix ends inside the part: what came before is the image's beginning.
                }
                return start.ToArray();
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException or FormatException)
        {
            // The prefix ends before a file part begins, or the form is malformed: the whole body is judged later.
        }
        return null;
    }

    private static byte[] Prefix(ReadOnlySequence<byte> buffer, int length)
    {
        var prefix = new byte[length];
        buffer.Slice(0, length).CopyTo(prefix);
        return prefix;
    }

    /// <summary>The whole body, read up to the limit (a body without a length is stopped there too), into one array of
    /// its stated length when it has one.</summary>
    private static async Task<byte[]> ReadBodyAsync(PipeReader reader, long? length, AppLimits limits, CancellationToken cancel)
    {
        byte[]? exact = length is > 0 ? new byte[length.Value] : null;
        using var grown = exact is null ? new MemoryStream() : null;
        long total = 0;
        while (true)
        {
            var read = await reader.ReadAsync(cancel);
            var buffer = read.Buffer;
            if (total + buffer.Length > limits.MaxBodyBytes)
            {
                reader.AdvanceTo(buffer.End);
                throw TooLarge(null, limits);
            }
            if (exact is not null && total + buffer.Length > exact.Length)  // Kestrel stops a body at its length; a test host may not
            {
                reader.AdvanceTo(buffer.End);
                throw new BadDigitRequestException(400, $"the body is longer than its Content-Length of {exact.Length:N0} bytes");
            }
            foreach (var segment in buffer)
            {
                if (exact is not null)
                    segment.Span.CopyTo(exact.AsSpan((int)total));
                else
                    grown!.Write(segment.Span);
                total += segment.Length;
            }
            reader.AdvanceTo(buffer.End);
            if (read.IsCompleted)
                break;
        }
        return exact is null ? grown!.ToArray() : total == exact.Length ? exact : exact[..(int)total];
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
