// HardeningTests.cs — issue 20 rows 8 and 12 as attacks: a huge multipart boundary, unknown paths and methods, long
// request lines and headers each get a problem-details 4xx (never a 500 or an empty body), and every answer carries the
// security headers.
using System.Net;
using System.Net.Http.Headers;

namespace DigitsML.WebApp.Tests.Api;

[TestFixture]
public sealed class HardeningTests
{
    private WebAppHost host = null!;
    private HttpClient client = null!;
    private byte[] photo = null!;

    [OneTimeSetUp]
    public async Task StartApp()
    {
        host = new WebAppHost();
        client = await host.CreateReadyClientAsync();
        photo = File.ReadAllBytes(Build.Photos[0]);
    }

    [OneTimeTearDown]
    public void StopApp()
    {
        client?.Dispose();
        host?.Dispose();
    }

    [TestCase(71)]
    [TestCase(4089)]
    [TestCase(20_000)]
    public async Task PostForm_BoundaryLongerThanRfc2046Allows_400ProblemNot500(int length)
    {
        // Row 8: a boundary of 4,089 characters or more made MultipartReader throw, a 500 with a stack trace in the log.
        string boundary = new('b', length);
        byte[] body = [.. System.Text.Encoding.ASCII.GetBytes($"--{boundary}\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.png\"\r\n\r\n"),
            .. photo, .. System.Text.Encoding.ASCII.GetBytes($"\r\n--{boundary}--\r\n")];

        string error = await (await client.PostImageAsync(body, $"multipart/form-data; boundary={boundary}")).ErrorAsync(HttpStatusCode.BadRequest);

        Assert.That(error, Is.EqualTo($"the multipart/form-data boundary is {length:N0} characters long: RFC 2046 allows at most 70"));
    }

    [Test]
    public async Task PostForm_BoundaryOf70Characters_Answered()
    {
        var form = new MultipartFormDataContent(new string('b', 70)) { { new ByteArrayContent(photo), "image", "a.png" } };
        Assert.That((await (await client.PostAsync("/api/digits", form)).AnswerAsync()).Digit, Is.InRange(0, 9));
    }

    [Test]
    public async Task Post_ImageOverTheDefaultPixelLimit_400FromItsHeader()
    {
        // Row 3: 2048 × 2048 was inside the old default (4 Mi pixels) and cost up to half a second of CPU; now 1 Mi.
        using var bitmap = new SkiaSharp.SKBitmap(new SkiaSharp.SKImageInfo(1025, 1024, SkiaSharp.SKColorType.Gray8, SkiaSharp.SKAlphaType.Opaque));
        bitmap.Erase(SkiaSharp.SKColors.White);
        using var png = bitmap.Encode(SkiaSharp.SKEncodedImageFormat.Png, 100);

        string error = await (await client.PostImageAsync(png.ToArray(), "image/png")).ErrorAsync(HttpStatusCode.BadRequest);

        Assert.That(error, Is.EqualTo("1025 × 1024 pixels is more than the 1,048,576 allowed (Limits:MaxImagePixels)"));
    }

    [Test]
    public async Task Get_UnknownPath_404Problem() =>
        await (await client.GetAsync("/no/such/page")).ProblemAsync(HttpStatusCode.NotFound);

    [TestCase("GET")]
    [TestCase("PUT")]
    [TestCase("DELETE")]
    public async Task ApiDigits_MethodOtherThanPost_405Problem(string method) =>
        await (await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), "/api/digits"))).ProblemAsync(HttpStatusCode.MethodNotAllowed);

    [Test]
    public async Task Get_RequestLineOverTheLimit_414Problem()
    {
        string path = "/" + new string('a', 9000);

        string error = await (await client.GetAsync(path)).ErrorAsync(HttpStatusCode.RequestUriTooLong);

        Assert.That(error, Does.StartWith("the request line is 9,0").And.EndWith("more than the 8,192 allowed (Limits:MaxRequestLineBytes)"));
    }

    [Test]
    public async Task Post_HeadersOverTheLimit_431Problem()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/digits") { Content = new ByteArrayContent(photo) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        for (int i = 0; i < 40; i++)
            request.Headers.Add($"X-Padding-{i}", new string('p', 1000));

        string error = await (await client.SendAsync(request)).ErrorAsync(HttpStatusCode.RequestHeaderFieldsTooLarge);

        Assert.That(error, Does.StartWith("the request headers are ").And.EndWith("more than the 32,768 allowed (Limits:MaxRequestHeaderBytes)"));
    }

    [TestCase("/")]
    [TestCase("/app.js")]
    [TestCase("/health")]
    [TestCase("/no/such/page")]
    public async Task Get_AnyAnswer_SecurityHeaders(string path) =>
        AssertSecurityHeaders(await client.GetAsync(path));

    [Test]
    public async Task Post_AnswerAndError_SecurityHeaders()
    {
        AssertSecurityHeaders(await client.PostImageAsync(photo, "image/png"));
        AssertSecurityHeaders(await client.PostImageAsync("not an image"u8.ToArray(), "image/png"));
    }

    private static void AssertSecurityHeaders(HttpResponseMessage response)
    {
        string Header(string name) => response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : "";
        Assert.That(Header("X-Content-Type-Options"), Is.EqualTo("nosniff"));
        Assert.That(Header("Content-Security-Policy"), Does.Contain("default-src 'none'").And.Contain("frame-ancestors 'none'")
            .And.Contain("script-src 'self'").And.Not.Contain("unsafe"));
        Assert.That(Header("X-Frame-Options"), Is.EqualTo("DENY"));
        Assert.That(Header("Referrer-Policy"), Is.EqualTo("no-referrer"));
        Assert.That(Header("Permissions-Policy"), Does.Contain("camera=()").And.Contain("microphone=()"));
    }
}
