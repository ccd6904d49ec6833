// BadInputTests.cs — what POST /api/digits answers to input it cannot use: 400 (415 for a content type it does not read)
// with a problem-details body whose "detail" is one line saying what was wrong; never a crash, and the service goes on
// answering.
using System.Net;
using System.Net.Http.Headers;
using SkiaSharp;

namespace DigitsML.WebApp.Tests.Api;

[TestFixture]
public sealed class BadInputTests
{
    private const int MaxBodyBytes = 64 * 1024, MaxImagePixels = 1_000_000;
    private WebAppHost host = null!;
    private HttpClient client = null!;
    private byte[] photo = null!;

    [OneTimeSetUp]
    public async Task StartApp()
    {
        host = new WebAppHost(new Dictionary<string, string>
        {
            ["Limits:MaxBodyBytes"] = $"{MaxBodyBytes}",
            ["Limits:MaxImagePixels"] = $"{MaxImagePixels}",
        });
        client = await host.CreateReadyClientAsync();
        photo = File.ReadAllBytes(Build.Photos[0]);
    }

    [OneTimeTearDown]
    public void StopApp()
    {
        client?.Dispose();
        host?.Dispose();
    }

    /// <summary>After each bad request, a good one is still answered.</summary>
    [TearDown]
    public async Task StillAnswers() => Assert.That((await (await client.PostImageAsync(photo, "image/png")).AnswerAsync()).Digit, Is.InRange(0, 9));

    private async Task<string> Error(Task<HttpResponseMessage> request, HttpStatusCode status = HttpStatusCode.BadRequest) =>
        await (await request).ErrorAsync(status);

    [TestCase("image/png")]
    [TestCase("application/json")]
    [TestCase("multipart/form-data; boundary=x")]
    public async Task Post_EmptyBody_400(string contentType) =>
        Assert.That(await Error(client.PostImageAsync([], contentType)), Does.StartWith("the body is empty"));

    [Test]
    public async Task Post_TextAsImage_400NotAnImage() =>
        Assert.That(await Error(client.PostImageAsync("hello, world"u8.ToArray(), "image/png")),
            Is.EqualTo("not an image LoadImages decodes (PNG, JPEG, BMP, GIF, WebP)"));

    [TestCase("random.jpg", "not an image")]
    [TestCase("truncated.png", "its Png data is truncated or damaged")]
    [TestCase("empty.png", "the image is empty (0 bytes)")]
    public async Task Post_BrokenImageFile_400SayingWhat(string file, string message)
    {
        byte[] bytes = File.ReadAllBytes(Build.Corrupt(file));
        if (bytes.Length > 0)
            Assert.That(await Error(client.PostImageAsync(bytes, "image/png")), Does.StartWith(message));
        Assert.That(await Error(client.PostFileAsync(bytes, file)), Does.StartWith(message), "as a file part");
    }

    [Test]
    public async Task Post_BmpWithPixelOffsetPast2GiB_400NotACrash()
    {
        // Through LoadImages this file ends the process (SkiaSharp's managed stream); the app decodes from memory.
        byte[] bmp = File.ReadAllBytes(Build.Photos.First(p => p.EndsWith(".bmp", StringComparison.Ordinal)));
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(bmp.AsSpan(10), 0x8000_003E);

        Assert.That(await Error(client.PostImageAsync(bmp, "image/bmp")), Does.Contain("Bmp"));
    }

    [Test]
    public async Task Post_BodyOverTheLimit_400NamingTheLimit()
    {
        byte[] big = new byte[MaxBodyBytes + 1];
        photo.CopyTo(big, 0);

        string withLength = await Error(client.PostImageAsync(big, "image/png"));
        // Without a length (chunked), the body is read up to the limit and refused there.
        var chunked = new StreamContent(new MemoryStream(big));
        chunked.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/digits") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        string withoutLength = await Error(client.SendAsync(request));

        Assert.That(withLength, Is.EqualTo("the body is 65,537 bytes, more than the 65,536 bytes allowed (Limits:MaxBodyBytes)"));
        Assert.That(withoutLength, Is.EqualTo("the body is longer than the 65,536 bytes allowed (Limits:MaxBodyBytes)"));
        Assert.That((await (await client.PostImageAsync(big[..MaxBodyBytes], "image/png")).Content.ReadAsStringAsync()),
            Does.Not.Contain("Limits:MaxBodyBytes"), "exactly the limit is read");
    }

    [Test]
    public async Task Post_ImageOfMorePixelsThanAllowed_400NamingSizeAndLimit()
    {
        // 1100 × 1000 pixels of one grey: a few kilobytes of PNG that would take 8 MB to decode.
        using var bitmap = new SKBitmap(new SKImageInfo(1100, 1000, SKColorType.Gray8, SKAlphaType.Opaque));
        bitmap.Erase(SKColors.White);
        using var png = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        Assert.That(png.Size, Is.LessThan(MaxBodyBytes));

        Assert.That(await Error(client.PostImageAsync(png.ToArray(), "image/png")),
            Is.EqualTo("1100 × 1000 pixels is more than the 1,000,000 allowed (Limits:MaxImagePixels)"));
    }

    [TestCase(0)]
    [TestCase(783)]
    [TestCase(785)]
    [TestCase(28 * 28 * 3)]
    public async Task PostPixels_WrongCount_400(int count) =>
        Assert.That(await Error(client.PostPixelsAsync(new float[count])), Is.EqualTo($"expected 784 pixels (28 × 28, row by row), got {count}"));

    [TestCase("null", "pixel 5 is null, not a number in [0, 1] (NaN is sent as null by JSON.stringify)")]
    [TestCase("\"NaN\"", "pixel 5 is the string \"NaN\", not a number in [0, 1] (NaN is sent as null by JSON.stringify)")]
    [TestCase("true", "pixel 5 is true, not a number in [0, 1] (NaN is sent as null by JSON.stringify)")]
    [TestCase("[0.5]", "pixel 5 is an array, not a number in [0, 1] (NaN is sent as null by JSON.stringify)")]
    [TestCase("1.5", "pixel 5 is 1.5, outside [0, 1]")]
    [TestCase("-0.01", "pixel 5 is -0.01, outside [0, 1]")]
    [TestCase("1e999", "pixel 5 is 1e999, outside [0, 1]")]
    [TestCase("255", "pixel 5 is 255, outside [0, 1]")]
    public async Task PostPixels_ValueNotInZeroToOne_400NamingThePixel(string value, string message)
    {
        var values = Enumerable.Repeat("0", 784).ToArray();
        values[5] = value;

        Assert.That(await Error(client.PostJsonAsync($"{{\"pixels\": [{string.Join(",", values)}]}}")), Is.EqualTo(message));
    }

    [TestCase("{\"pixels\": [0, 1", "the body is not valid JSON")]
    [TestCase("pixels=0,1", "the body is not valid JSON")]
    [TestCase("{\"pixel\": []}", "the JSON has no \"pixels\" array")]
    [TestCase("{\"pixels\": 0.5}", "the JSON has no \"pixels\" array")]
    [TestCase("[0, 1]", "the JSON has no \"pixels\" array")]
    public async Task PostJson_NotAPixelsObject_400(string json, string message) =>
        Assert.That(await Error(client.PostJsonAsync(json)), Does.StartWith(message));

    [TestCase("text/plain", "the content type text/plain is not read here")]
    [TestCase("application/xml", "the content type application/xml is not read here")]
    [TestCase("application/x-www-form-urlencoded", "the content type application/x-www-form-urlencoded is not read here")]
    [TestCase(null, "no content type given")]
    public async Task Post_ContentTypeNotRead_415(string? contentType, string message) =>
        Assert.That(await Error(client.PostImageAsync(photo, contentType), HttpStatusCode.UnsupportedMediaType), Does.StartWith(message));

    [Test]
    public async Task PostForm_NoFilePart_400()
    {
        var form = new MultipartFormDataContent { { new StringContent("7"), "digit" } };
        Assert.That(await Error(client.PostAsync("/api/digits", form)), Does.StartWith("the form has no file part"));
    }

    [Test]
    public async Task PostForm_TwoFileParts_400()
    {
        var form = new MultipartFormDataContent { { new ByteArrayContent(photo), "a", "a.png" }, { new ByteArrayContent(photo), "b", "b.png" } };
        Assert.That(await Error(client.PostAsync("/api/digits", form)), Is.EqualTo("the form has 2 file parts: send one image"));
    }

    [Test]
    public async Task PostForm_NoBoundary_400() =>
        Assert.That(await Error(client.PostImageAsync(photo, "multipart/form-data")), Is.EqualTo("the multipart/form-data content type has no boundary"));

    [Test]
    public async Task PostForm_BodyNotMultipart_400() =>
        Assert.That(await Error(client.PostImageAsync(photo, "multipart/form-data; boundary=abc")),
            Is.EqualTo("the multipart/form-data body is malformed (it ends before the closing boundary --abc--)"));

    [Test]
    public async Task Get_ApiDigits_405() =>
        Assert.That((await client.GetAsync("/api/digits")).StatusCode, Is.EqualTo(HttpStatusCode.MethodNotAllowed));

    [Test]
    public async Task Post_BadAndGoodRequestsAtOnce_EveryGoodOneAnswered()
    {
        byte[] text = "not an image"u8.ToArray();
        var statuses = new HttpStatusCode[200];
        await Parallel.ForAsync(0, statuses.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
            statuses[i] = (await client.PostImageAsync(i % 2 == 0 ? photo : text, "image/png")).StatusCode);

        Assert.That(statuses.Where((_, i) => i % 2 == 0), Is.All.EqualTo(HttpStatusCode.OK));
        Assert.That(statuses.Where((_, i) => i % 2 == 1), Is.All.EqualTo(HttpStatusCode.BadRequest));
    }
}
