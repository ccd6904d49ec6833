// Requests.cs — the three kinds of POST /api/digits request, and the two kinds of answer (the digit, problem details), as
// a client sees them.
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace DigitsML.WebApp.Tests.Api;

/// <summary>The answer's JSON, read back with the web's camelCase names.</summary>
internal sealed record Answer(int Digit, float Probability, Answer.Other RunnerUp, float[] Probabilities)
{
    public sealed record Other(int Digit, float Probability);
}

internal static class Requests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    public static Task<HttpResponseMessage> PostImageAsync(this HttpClient client, byte[] bytes, string? contentType)
    {
        var content = new ByteArrayContent(bytes);
        if (contentType is not null)
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return client.PostAsync("/api/digits", content);
    }

    public static Task<HttpResponseMessage> PostFileAsync(this HttpClient client, byte[] bytes, string fileName)
    {
        var form = new MultipartFormDataContent { { new ByteArrayContent(bytes), "image", fileName } };
        return client.PostAsync("/api/digits", form);
    }

    public static Task<HttpResponseMessage> PostPixelsAsync(this HttpClient client, float[] pixels) =>
        client.PostAsJsonAsync("/api/digits", new { pixels });

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string json) =>
        client.PostAsync("/api/digits", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

    /// <summary>The content type a photo's file name implies.</summary>
    public static string ImageType(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".png" => "image/png",
        ".jpg" or ".jpeg" => "image/jpeg",
        ".bmp" => "image/bmp",
        ".gif" => "image/gif",
        ".webp" => "image/webp",
        var other => throw new ArgumentException($"no image type for {other}"),
    };

    /// <summary>The answer of a 200 response; any other status fails the test with the body.</summary>
    public static async Task<Answer> AnswerAsync(this HttpResponseMessage response)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        return JsonSerializer.Deserialize<Answer>(body, Web)!;
    }

    /// <summary>The one-line reason of an error response, after checking its status and that the body is problem
    /// details (RFC 9457, application/problem+json) with that status, a title and a one-line detail.</summary>
    public static async Task<string> ErrorAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        using var json = await response.ProblemAsync(status);
        Assert.That(json.RootElement.TryGetProperty("detail", out var detail), Is.True, json.RootElement.GetRawText());
        string error = detail.GetString()!;
        Assert.That(error, Is.Not.Empty.And.Not.Contain('\n'));
        return error;
    }

    /// <summary>The problem-details body of an error response (its status and media type checked), for tests to read.</summary>
    public static async Task<JsonDocument> ProblemAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(status), body);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"), body);
        var json = JsonDocument.Parse(body);
        Assert.That(json.RootElement.GetProperty("status").GetInt32(), Is.EqualTo((int)status), body);
        Assert.That(json.RootElement.GetProperty("title").GetString(), Is.Not.Empty, body);
        Assert.That(body, Does.Not.Contain(" at DigitsML").And.Not.Contain("Exception"), "no stack trace or exception type");
        return json;
    }
}
