// AnswerCheck.cs — one request before the load, to check that the server really reads the image as a digit: a fast
// server that answers 200 with the wrong thing would otherwise pass the load test.
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;

namespace DigitsML.LoadTest;

internal static class AnswerCheck
{
    /// <summary>Posts the body once and returns the answer's text and digit. Throws <see cref="InvalidDataException"/>
    /// (its message is the one line to show) when the status is not 2xx, the body is not a JSON object with an integer
    /// <c>digit</c> from 0 to 9 and a <c>probability</c> in [0, 1], or the digit is not <paramref name="expectDigit"/>.</summary>
    public static async Task<(int Digit, string Body, double Milliseconds)> PostOnceAsync(Uri url, byte[] body,
        string contentType, int? expectDigit, TimeSpan timeout, CancellationToken cancel = default)
    {
        using var client = new HttpClient { Timeout = timeout };
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        long start = Stopwatch.GetTimestamp();
        using var response = await client.PostAsync(url, content, cancel).ConfigureAwait(false);
        string text = await response.Content.ReadAsStringAsync(cancel).ConfigureAwait(false);
        double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        string shown = text.Length > 300 ? text[..300] + "..." : text;
        if (!response.IsSuccessStatusCode)
            throw new InvalidDataException($"{url} answered HTTP {(int)response.StatusCode} to the image: {shown}");
        int digit;
        try
        {
            using var json = JsonDocument.Parse(text);
            if (json.RootElement.ValueKind != JsonValueKind.Object
                || !json.RootElement.TryGetProperty("digit", out var d) || d.ValueKind != JsonValueKind.Number
                || !d.TryGetInt32(out digit) || digit is < 0 or > 9)
                throw new InvalidDataException($"{url} answered without an integer \"digit\" from 0 to 9: {shown}");
            if (!json.RootElement.TryGetProperty("probability", out var p) || p.ValueKind != JsonValueKind.Number
                || p.GetDouble() is not (>= 0 and <= 1))
                throw new InvalidDataException($"{url} answered without a \"probability\" in [0, 1]: {shown}");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{url} answered with something that is not JSON ({e.Message}): {shown}");
        }
        if (expectDigit is { } expected && digit != expected)
            throw new InvalidDataException($"{url} read the image as {digit}, not {expected}: {shown}");
        return (digit, text, ms);
    }
}
