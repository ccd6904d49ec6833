// RequestFuzzTests.cs — the web sample's request parsers under mutated bodies: multipart forms, raw images and JSON
// pixels, byte-mutated, truncated and spliced, posted to /api/digits and /api/numbers. Every answer must be a 2xx or a
// documented 4xx/503 with a one-line problem-details body; never a 500, never a stack trace, and the service goes on.
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace DigitsML.WebApp.Tests.Api;

[TestFixture]
[NonParallelizable]
public sealed class RequestFuzzTests
{
    /// <summary>Fixed so CI is repeatable; build/fuzz.sh --web sets DIGITSML_FUZZ_WEB_SEED and DIGITSML_FUZZ_WEB_MUTANTS
    /// (mutants per seed body and endpoint) for a run at length.</summary>
    private const int Seed = 5150, Mutants = 150;

    private const string Boundary = "fuzz-boundary-7d3";

    /// <summary>What the service may answer a mutated request: an answer, no number (422), or a documented refusal.</summary>
    private static readonly HashSet<HttpStatusCode> Documented =
    [
        HttpStatusCode.OK, HttpStatusCode.BadRequest, HttpStatusCode.RequestEntityTooLarge, HttpStatusCode.UnsupportedMediaType,
        HttpStatusCode.UnprocessableEntity, HttpStatusCode.TooManyRequests, HttpStatusCode.ServiceUnavailable,
    ];

    private WebAppHost host = null!;
    private HttpClient client = null!;
    private byte[] photo = null!;

    [OneTimeSetUp]
    public async Task StartApp()
    {
        host = new WebAppHost(new Dictionary<string, string> { ["Limits:MaxBodyBytes"] = $"{256 * 1024}" });
        client = await host.CreateReadyClientAsync();
        photo = File.ReadAllBytes(Build.Photos[0]);
    }

    [OneTimeTearDown]
    public void StopApp()
    {
        client?.Dispose();
        host?.Dispose();
    }

    private static int? Setting(string name) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), System.Globalization.CultureInfo.InvariantCulture, out int value) ? value : null;

    /// <summary>The seed bodies, each with its content type: a form with the photo, the photo raw, 28 × 28 pixels as JSON.</summary>
    private IEnumerable<(string Name, byte[] Body, string ContentType)> Seeds()
    {
        var form = new MemoryStream();
        form.Write(Encoding.ASCII.GetBytes($"--{Boundary}\r\nContent-Disposition: form-data; name=\"image\"; filename=\"digit.png\"\r\n" +
                                           "Content-Type: image/png\r\n\r\n"));
        form.Write(photo);
        form.Write(Encoding.ASCII.GetBytes($"\r\n--{Boundary}--\r\n"));
        yield return ("form", form.ToArray(), $"multipart/form-data; boundary={Boundary}");
        yield return ("raw", photo, Requests.ImageType(Build.Photos[0]));
        string pixels = string.Join(",", Enumerable.Range(0, 784).Select(i => i % 28 is > 10 and < 16 && i / 28 is > 4 and < 24 ? "0.9" : "0"));
        yield return ("json", Encoding.UTF8.GetBytes($"{{\"pixels\":[{pixels}]}}"), "application/json");
    }

    /// <summary>One mutant of <paramref name="body"/>: bytes flipped or set to edge values, a run inserted, removed or
    /// repeated, or the body cut short; one to four of them.</summary>
    private static byte[] Mutate(byte[] body, Random random)
    {
        var bytes = new List<byte>(body);
        for (int n = random.Next(1, 5); n > 0 && bytes.Count > 0; n--)
        {
            int at = random.Next(bytes.Count);
            switch (random.Next(6))
            {
                case 0: bytes[at] ^= (byte)(1 << random.Next(8)); break;
                case 1: bytes[at] = new byte[] { 0, 0xFF, 0x7F, 0x80, (byte)'-', (byte)'\r', (byte)'"', (byte)'[' }[random.Next(8)]; break;
                case 2: bytes.InsertRange(at, Enumerable.Range(0, random.Next(1, 64)).Select(_ => (byte)random.Next(256))); break;
                case 3: bytes.RemoveRange(at, Math.Min(random.Next(1, 256), bytes.Count - at)); break;
                case 4: bytes.InsertRange(at, bytes.GetRange(at, Math.Min(random.Next(1, 512), bytes.Count - at))); break;
                default: bytes.RemoveRange(at, bytes.Count - at); break;
            }
        }
        return [.. bytes];
    }

    [TestCase("/api/digits")]
    [TestCase("/api/numbers")]
    public async Task Post_MutatedBodies_DocumentedAnswersOnly(string path)
    {
        int seed = Setting("DIGITSML_FUZZ_WEB_SEED") ?? Seed, mutants = Setting("DIGITSML_FUZZ_WEB_MUTANTS") ?? Mutants;
        var random = new Random(seed);
        var failures = new Dictionary<string, string>();
        var statuses = new SortedDictionary<int, int>();
        int sent = 0;
        foreach (var (name, body, contentType) in Seeds())
            for (int i = 0; i < mutants; i++, sent++)
            {
                byte[] mutant = Mutate(body, random);
                var content = new ByteArrayContent(mutant);
                content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
                using var response = await client.PostAsync(path, content);
                string text = await response.Content.ReadAsStringAsync();
                statuses[(int)response.StatusCode] = statuses.GetValueOrDefault((int)response.StatusCode) + 1;
                string? wrong = Judge(response, text);
                if (wrong is not null)
                    failures.TryAdd($"{name}: {wrong}", $"{name} mutant {i} ({mutant.Length} bytes): {(int)response.StatusCode} {text[..Math.Min(text.Length, 300)]}");
            }
        TestContext.Out.WriteLine($"{path}: seed {seed}, {sent} mutants: " + string.Join(", ", statuses.Select(s => $"{s.Value} x {s.Key}")) +
                                  $", {failures.Count} failure kinds");

        Assert.That(failures, Is.Empty, $"seed {seed} (replay: DIGITSML_FUZZ_WEB_SEED={seed}): one example of each kind:\n" +
                                        string.Join("\n", failures.Values));
        Assert.That(statuses.Keys, Has.Some.EqualTo(400), "no mutant was refused: the mutations do not reach the parsers");
        Assert.That((await (await client.PostImageAsync(photo, Requests.ImageType(Build.Photos[0]))).AnswerAsync()).Digit, Is.InRange(0, 9),
            "the service still answers");
    }

    /// <summary>Null when the answer is documented; else what was wrong with it.</summary>
    private static string? Judge(HttpResponseMessage response, string body)
    {
        if (!Documented.Contains(response.StatusCode))
            return $"status {(int)response.StatusCode}";
        string? media = response.Content.Headers.ContentType?.MediaType;
        if (response.StatusCode == HttpStatusCode.OK)
            return media == "application/json" ? null : $"200 as {media}";
        if (media != "application/problem+json")
            return $"{(int)response.StatusCode} as {media}";
        if (body.Contains("Exception") || body.Contains(" at DigitsML"))
            return $"{(int)response.StatusCode} with an exception in the body";
        try
        {
            using var json = System.Text.Json.JsonDocument.Parse(body);
            return json.RootElement.TryGetProperty("detail", out var detail) && detail.GetString() is { Length: > 0 } line && !line.Contains('\n')
                ? null : $"{(int)response.StatusCode} without a one-line detail";
        }
        catch (System.Text.Json.JsonException)
        {
            return $"{(int)response.StatusCode} with a body that is not JSON";
        }
    }
}
