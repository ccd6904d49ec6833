// NumbersApiTests.cs — POST /api/numbers, the line reader of Reader:Path: the answer's shape for a row of MNIST test
// digits (dark on light, as a page or a photo has them), the same 400s as POST /api/digits for bad uploads, 422 for an
// image without a number, 404 with the reader turned off (Reader:Enabled=false), uncertainBelow checked, /health's
// reader info, and a reader file that does not load or is no reader: one line, exit 1. The fixture's reader is provisional (it reads garbage until the
// trained one replaces it), so no test asserts which digits are read.
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using DigitsML.Testing;
using SkiaSharp;

namespace DigitsML.WebApp.Tests.Api;

[TestFixture]
public sealed class NumbersApiTests
{
    private const int MaxBodyBytes = 64 * 1024, MaxImagePixels = 1_000_000;
    private static readonly TimeSpan ExitWithin = TimeSpan.FromMinutes(1);
    private WebAppHost host = null!;
    private HttpClient client = null!;

    /// <summary>The reader the tests serve (copied from DigitsML.Scoring.Tests' fixtures).</summary>
    public static string ReaderPath => Path.Combine(TestContext.CurrentContext.TestDirectory, "fixtures", "reader-model.zip");

    [OneTimeSetUp]
    public async Task StartApp()
    {
        host = new WebAppHost(new Dictionary<string, string>
        {
            ["Reader:Path"] = ReaderPath,
            ["Limits:MaxBodyBytes"] = $"{MaxBodyBytes}",
            ["Limits:MaxImagePixels"] = $"{MaxImagePixels}",
        });
        client = await host.CreateReadyClientAsync();
    }

    [OneTimeTearDown]
    public void StopApp()
    {
        client?.Dispose();
        host?.Dispose();
    }

    /// <summary>A PNG of MNIST test digits side by side, dark ink on white paper with a margin, each at
    /// <paramref name="scale"/> times its size.</summary>
    public static byte[] NumberPng(int digits, int scale = 2)
    {
        var mnist = Mnist.TestDigits(digits);
        int size = 28 * scale, margin = 12 * scale;
        using var bitmap = new SKBitmap(new SKImageInfo(2 * margin + digits * size, 2 * margin + size, SKColorType.Gray8, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.White);
            for (int i = 0; i < digits; i++)
            {
                byte[] inverted = [.. mnist[i].Pixels.Select(p => (byte)(255 - p))];
                using var digit = SKBitmap.Decode(Mnist.Png(inverted));
                canvas.DrawBitmap(digit, new SKRect(margin + i * size, margin, margin + (i + 1) * size, margin + size));
            }
        }
        using var png = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }

    private static byte[] BlankPng(int width, int height)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque));
        bitmap.Erase(SKColors.White);
        using var png = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }

    private static Task<HttpResponseMessage> Post(HttpClient to, byte[] bytes, string contentType = "image/png", string query = "")
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return to.PostAsync($"/api/numbers{query}", content);
    }

    /// <summary>The reader reads something in a row of digits: a 200 with the whole JSON shape, or (the provisional
    /// reader may read no digit at all) a 422 saying no digit was read. With the trained reader it is the 200.</summary>
    private static async Task<JsonDocument?> ReadAsync(HttpResponseMessage response)
    {
        string body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode == HttpStatusCode.UnprocessableEntity)
        {
            Assert.That(body, Does.Contain("no number found: no digit read"), body);
            return null;
        }
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        return JsonDocument.Parse(body);
    }

    [Test]
    public async Task Post_RowOfDigits_200WithNumberTextDigitsBoxesAndReader()
    {
        byte[] png = NumberPng(4);
        using var size = SKCodec.Create(SKData.CreateCopy(png));
        int width = size.Info.Width, height = size.Info.Height;

        using var json = await ReadAsync(await Post(client, png));
        if (json is null)
            Assert.Inconclusive("the provisional reader read no digit (the trained reader will)");
        var root = json!.RootElement;

        string number = root.GetProperty("number").GetString()!, text = root.GetProperty("text").GetString()!;
        var digits = root.GetProperty("digits").EnumerateArray().ToArray();
        Assert.That(digits, Is.Not.Empty);
        Assert.That(text, Has.Length.EqualTo(digits.Length).And.Match("^[0-9]+$"));
        Assert.That(number, Has.Length.EqualTo(digits.Length).And.Match("^[0-9?]+$"));
        Assert.That(root.GetProperty("certain").GetBoolean(), Is.EqualTo(!number.Contains('?')));
        Assert.That(root.GetProperty("uncertainBelow").GetSingle(), Is.EqualTo(0.6f));
        Assert.That(root.GetProperty("missedDigit").GetSingle(), Is.InRange(0f, 1f));
        int left = -1;
        for (int i = 0; i < digits.Length; i++)
        {
            var d = digits[i];
            Assert.That(d.GetProperty("value").GetInt32(), Is.EqualTo(text[i] - '0'));
            float confidence = d.GetProperty("confidence").GetSingle();
            Assert.That(confidence, Is.InRange(0f, 1f));
            Assert.That(d.GetProperty("uncertain").GetBoolean(), Is.EqualTo(confidence < 0.6f));
            Assert.That(number[i], Is.EqualTo(d.GetProperty("uncertain").GetBoolean() ? '?' : text[i]));
            var box = d.GetProperty("box");
            int x = box.GetProperty("x").GetInt32(), y = box.GetProperty("y").GetInt32();
            int w = box.GetProperty("width").GetInt32(), h = box.GetProperty("height").GetInt32();
            Assert.That(w, Is.GreaterThanOrEqualTo(1));
            Assert.That(h, Is.GreaterThanOrEqualTo(1));
            Assert.That(x, Is.InRange(-w, width), "the box is about the image");
            Assert.That(y, Is.InRange(-h, height), "the box is about the image");
            Assert.That(x, Is.GreaterThanOrEqualTo(left), "left to right");
            left = x;
        }
        var reader = root.GetProperty("reader");
        Assert.That(reader.GetProperty("model").GetString(), Is.EqualTo("reader-model.zip"));
        Assert.That(reader.GetProperty("sha256").GetString(), Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(ReaderPath)))));
        Assert.That(reader.GetProperty("version").GetInt32(), Is.EqualTo(1));
    }

    [Test]
    public async Task Post_RowOfDigitsAsFilePart_SameAnswerAsRawBody()
    {
        byte[] png = NumberPng(3);
        var form = new MultipartFormDataContent { { new ByteArrayContent(png), "image", "number.png" } };

        var raw = await Post(client, png);
        var part = await client.PostAsync("/api/numbers", form);

        Assert.That(part.StatusCode, Is.EqualTo(raw.StatusCode));
        Assert.That(await part.Content.ReadAsStringAsync(), Is.EqualTo(await raw.Content.ReadAsStringAsync()).Or.Contain("traceId"));
    }

    [TestCase("0", false)]
    [TestCase("1", true)]
    public async Task Post_UncertainBelow_MarksDigitsBelowIt(string threshold, bool allUncertain)
    {
        using var json = await ReadAsync(await Post(client, NumberPng(4), query: $"?uncertainBelow={threshold}"));
        if (json is null)
            Assert.Inconclusive("the provisional reader read no digit (the trained reader will)");
        var root = json!.RootElement;
        var digits = root.GetProperty("digits").EnumerateArray().ToArray();
        Assert.That(root.GetProperty("uncertainBelow").GetSingle(), Is.EqualTo(float.Parse(threshold, System.Globalization.CultureInfo.InvariantCulture)));
        if (allUncertain) // only a confidence of exactly 1 is not below 1
            Assert.That(digits.Where(d => d.GetProperty("confidence").GetSingle() < 1).All(d => d.GetProperty("uncertain").GetBoolean()));
        else
        {
            Assert.That(digits.Any(d => d.GetProperty("uncertain").GetBoolean()), Is.False);
            Assert.That(root.GetProperty("number").GetString(), Is.EqualTo(root.GetProperty("text").GetString()));
            Assert.That(root.GetProperty("certain").GetBoolean(), Is.True);
        }
    }

    [TestCase("2", "uncertainBelow is 2: it must be a number in [0, 1] (a confidence)")]
    [TestCase("-0.1", "uncertainBelow is -0.1: it must be a number in [0, 1] (a confidence)")]
    [TestCase("NaN", "uncertainBelow is NaN: it must be a number in [0, 1] (a confidence)")]
    [TestCase("high", "uncertainBelow is high: it must be a number in [0, 1] (a confidence)")]
    [TestCase("", "uncertainBelow is : it must be a number in [0, 1] (a confidence)")]
    public async Task Post_UncertainBelowOutOfRange_400(string threshold, string message) =>
        Assert.That(await (await Post(client, NumberPng(2), query: $"?uncertainBelow={threshold}")).ErrorAsync(HttpStatusCode.BadRequest),
            Is.EqualTo(message));

    [Test]
    public async Task Post_UncertainBelowTwice_400() =>
        Assert.That(await (await Post(client, NumberPng(2), query: "?uncertainBelow=0.5&uncertainBelow=0.7")).ErrorAsync(HttpStatusCode.BadRequest),
            Does.StartWith("uncertainBelow is given more than once"));

    [Test]
    public async Task Post_BlankImage_422WithTheReadingsReason() =>
        Assert.That(await (await Post(client, BlankPng(600, 150))).ErrorAsync(HttpStatusCode.UnprocessableEntity),
            Is.EqualTo("no number found: no ink found: the image is blank or has no contrast"));

    [Test]
    public async Task Post_TextAsImage_400AsForDigits() =>
        Assert.That(await (await Post(client, "hello, world"u8.ToArray())).ErrorAsync(HttpStatusCode.BadRequest),
            Is.EqualTo("not an image LoadImages decodes (PNG, JPEG, BMP, GIF, WebP)"));

    [TestCase("random.jpg", "not an image")]
    [TestCase("truncated.png", "its Png data is truncated or damaged")]
    public async Task Post_BrokenImageFile_400AsForDigits(string file, string message) =>
        Assert.That(await (await Post(client, File.ReadAllBytes(Build.Corrupt(file)))).ErrorAsync(HttpStatusCode.BadRequest),
            Does.StartWith(message));

    [Test]
    public async Task Post_EmptyBody_400() =>
        Assert.That(await (await Post(client, [])).ErrorAsync(HttpStatusCode.BadRequest), Does.StartWith("the body is empty"));

    [Test]
    public async Task Post_ImageOfMorePixelsThanAllowed_400NamingSizeAndLimit() =>
        Assert.That(await (await Post(client, BlankPng(1100, 1000))).ErrorAsync(HttpStatusCode.BadRequest),
            Is.EqualTo("1100 × 1000 pixels is more than the 1,000,000 allowed (Limits:MaxImagePixels)"));

    [Test]
    public async Task Post_BodyOverTheLimit_400NamingTheLimit() =>
        Assert.That(await (await Post(client, new byte[MaxBodyBytes + 1])).ErrorAsync(HttpStatusCode.BadRequest),
            Is.EqualTo("the body is 65,537 bytes, more than the 65,536 bytes allowed (Limits:MaxBodyBytes)"));

    [Test]
    public async Task Post_JsonPixels_415ImagesOnly() =>
        Assert.That(await (await Post(client, "{\"pixels\": [0]}"u8.ToArray(), "application/json")).ErrorAsync(HttpStatusCode.UnsupportedMediaType),
            Does.StartWith("the content type application/json is not read here: send an image"));

    [Test]
    public async Task Health_ReaderConfigured_NameSizeShaVersionButNoPath()
    {
        string body = await client.GetStringAsync("/health");

        using var json = JsonDocument.Parse(body);
        var reader = json.RootElement.GetProperty("reader");
        Assert.That(reader.GetRawText(), Is.EqualTo(JsonSerializer.Serialize(new
        {
            configured = true, model = "reader-model.zip", bytes = new FileInfo(ReaderPath).Length,
            sha256 = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(ReaderPath))), version = 1,
        })));
        Assert.That(body, Does.Not.Contain(Path.GetDirectoryName(ReaderPath)!).And.Not.Contain("/"), "no folder of the server's disk");
    }

    [Test]
    public async Task Post_ReaderDisabled_404SayingHowToConfigureOne()
    {
        using var plain = new WebAppHost(new Dictionary<string, string> { ["Reader:Enabled"] = "false" });
        using var to = await plain.CreateReadyClientAsync();

        string error = await (await Post(to, NumberPng(2))).ErrorAsync(HttpStatusCode.NotFound);
        string health = await to.GetStringAsync("/health");

        Assert.That(error, Is.EqualTo(NumberEndpoint.NoReader).And.StartsWith("no reader configured: ").And.Contain("--Reader:Path="));
        Assert.That(health, Does.Contain("\"reader\":{\"configured\":false}"));
    }

    [Test]
    public async Task Start_ReaderFileNotAModel_OneLineOnStderrExit1()
    {
        using var folder = new TemporaryDirectory();
        string notModel = Path.Combine(folder.Path, "reader.zip");
        File.WriteAllText(notModel, "not a zip");

        var (exit, output, errors) = await AppProcess.RunToExitAsync(ExitWithin, $"--Model:Path={TrainedModel.Path}", $"--Reader:Path={notModel}");

        Assert.That(exit, Is.EqualTo(1));
        Assert.That(errors.TrimEnd().Split('\n'), Has.Length.EqualTo(1), errors);
        Assert.That(errors, Does.StartWith($"error: {notModel}: not an ML.NET model zip that loads here: "));
        Assert.That(output, Does.Not.Contain("Now listening"));
    }

    [Test]
    public async Task Start_ReaderFileMissing_OneLineOnStderrExit1()
    {
        using var folder = new TemporaryDirectory();
        string absent = Path.Combine(folder.Path, "absent.zip");

        var (exit, _, errors) = await AppProcess.RunToExitAsync(ExitWithin, $"--Model:Path={TrainedModel.Path}", $"--Reader:Path={absent}");

        Assert.That(exit, Is.EqualTo(1));
        Assert.That(errors.TrimEnd().Split('\n'), Has.Length.EqualTo(1), errors);
        Assert.That(errors, Does.StartWith($"error: no reader at {absent} (Reader:Path): "));
    }

    [Test]
    public async Task Start_DigitClassifierAsReader_OneLineSayingItIsNoReader()
    {
        var (exit, output, errors) = await AppProcess.RunToExitAsync(ExitWithin, $"--Model:Path={TrainedModel.Path}", $"--Reader:Path={TrainedModel.Path}");

        Assert.That(exit, Is.EqualTo(1));
        Assert.That(errors.TrimEnd().Split('\n'), Has.Length.EqualTo(1), errors);
        Assert.That(errors, Does.StartWith($"error: {TrainedModel.Path} is not a line reader (Reader:Path): "));
        Assert.That(output, Does.Not.Contain("Now listening"));
    }
}
