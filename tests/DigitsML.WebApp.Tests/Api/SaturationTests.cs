// SaturationTests.cs — issue 20 row 3: the decode-and-score work is bounded. With tiny configured limits and their
// permits held by the test (no timing involved), a request past a full limiter and queue gets 503 (429 per client) with
// Retry-After and a problem-details body at once, and a full large-image limiter leaves pixels and small images answered.
using System.Net;
using System.Net.Http.Headers;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SkiaSharp;

namespace DigitsML.WebApp.Tests.Api;

[TestFixture]
public sealed class SaturationTests
{
    private const int RetryAfter = 7;
    private WebAppHost host = null!;
    private HttpClient client = null!;
    private ScoringLimiters limiters = null!;
    private AppLimits limits = null!;
    private byte[] small = null!, large = null!;

    [OneTimeSetUp]
    public async Task StartApp()
    {
        host = new WebAppHost(new Dictionary<string, string>
        {
            ["Limits:LargeImagePixels"] = "10000",
            ["Limits:LargeImageConcurrency"] = "1",
            ["Limits:LargeImageQueue"] = "0",
            ["Limits:ScoringConcurrency"] = "1",
            ["Limits:ScoringQueue"] = "0",
            ["Limits:MaxConcurrentRequests"] = "1",
            ["Limits:RetryAfterSeconds"] = $"{RetryAfter}",
        });
        client = await host.CreateReadyClientAsync();
        limiters = host.Services.GetRequiredService<ScoringLimiters>();
        limits = host.Services.GetRequiredService<IOptions<AppLimits>>().Value;
        small = Mnist.Png(Mnist.TestDigits(1)[0].Pixels);  // 28 × 28
        large = Square(300);                               // 90,000 pixels: large here
    }

    [OneTimeTearDown]
    public void StopApp()
    {
        client?.Dispose();
        host?.Dispose();
    }

    /// <summary>A PNG of a black bar on white, <paramref name="side"/> pixels square.</summary>
    private static byte[] Square(int side)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(side, side, SKColorType.Gray8, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.White);
            canvas.DrawRect(side * 0.45f, side * 0.2f, side * 0.1f, side * 0.6f, new SKPaint { Color = SKColors.Black });
        }
        using var png = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }

    private static async Task<string> Busy(HttpResponseMessage response, HttpStatusCode status)
    {
        string error = await response.ErrorAsync(status);
        Assert.That(response.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(RetryAfter)), "Retry-After");
        return error;
    }

    [Test]
    public async Task PostLargeImage_LargeImageLimiterFull_503RetryAfterWhilePixelsAndSmallImagesAnswered()
    {
        using (var held = await limiters.AcquireAsync(DigitUpload.FromImage(large, limits), CancellationToken.None))
        {
            Assert.That(held.IsAcquired, Is.True);

            string error = await Busy(await client.PostImageAsync(large, "image/png"), HttpStatusCode.ServiceUnavailable);
            Assert.That(error, Does.StartWith("the service is busy: 1 large images (over 10,000 pixels"));
            // The cheap requests have a limiter of their own: not queued behind the large image.
            Assert.That((await (await client.PostPixelsAsync(new float[784])).AnswerAsync()).Digit, Is.InRange(0, 9));
            Assert.That((await (await client.PostImageAsync(small, "image/png")).AnswerAsync()).Digit, Is.InRange(0, 9));
        }
        Assert.That((await (await client.PostImageAsync(large, "image/png")).AnswerAsync()).Digit, Is.InRange(0, 9), "answered once the permit is back");
    }

    [Test]
    public async Task PostPixels_ScoringLimiterFull_503RetryAfterWhileLargeImagesAnswered()
    {
        using (var held = await limiters.AcquireAsync(DigitUpload.FromPixels(new float[784]), CancellationToken.None))
        {
            Assert.That(held.IsAcquired, Is.True);

            string error = await Busy(await client.PostPixelsAsync(new float[784]), HttpStatusCode.ServiceUnavailable);
            Assert.That(error, Does.StartWith("the service is busy: 1 requests are being scored and 0 wait"));
            await Busy(await client.PostImageAsync(small, "image/png"), HttpStatusCode.ServiceUnavailable);
            Assert.That((await (await client.PostImageAsync(large, "image/png")).AnswerAsync()).Digit, Is.InRange(0, 9));
        }
        Assert.That((await (await client.PostPixelsAsync(new float[784])).AnswerAsync()).Digit, Is.InRange(0, 9));
    }

    [Test]
    public async Task PostAnything_MaxConcurrentRequestsInProgress_503RetryAfterWhileHealthAnswers()
    {
        // The rate limiting middleware's global limiter, the very instance the app uses, held for one API request.
        var global = host.Services.GetRequiredService<IOptions<RateLimiterOptions>>().Value.GlobalLimiter!;
        var apiRequest = new DefaultHttpContext { Request = { Path = "/api/digits" } };
        using (var held = await global.AcquireAsync(apiRequest))
        {
            Assert.That(held.IsAcquired, Is.True);

            string error = await Busy(await client.PostPixelsAsync(new float[784]), HttpStatusCode.ServiceUnavailable);
            Assert.That(error, Does.StartWith("the service has 1 requests in progress, the most allowed (Limits:MaxConcurrentRequests)"));
            Assert.That((await client.GetAsync("/health")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "only the API is limited");
        }
        Assert.That((await (await client.PostPixelsAsync(new float[784])).AnswerAsync()).Digit, Is.InRange(0, 9));
    }

    [Test]
    // Once in a full run on the loaded 2-core machine (twice in all) no second request met the held one inside the
    // service within the minute; alone it passes every time. Retried while the cause is looked for (see the issue note).
    [Retry(2)]
    public async Task Post_ClientWithRequestInProgress_429RetryAfter()
    {
        using var perClient = new WebAppHost(new Dictionary<string, string>
        {
            ["Limits:PerClientConcurrentRequests"] = "1", ["Limits:RetryAfterSeconds"] = $"{RetryAfter}",
        });
        using var ready = await perClient.CreateReadyClientAsync();
        // The test server's own client: the factory's default one buffers request bodies (to replay them on redirects).
        using var one = perClient.Server.CreateClient();
        // The first request's body stops half-way until the test lets it go on: it holds the client's one permit.
        var rest = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = one.PostAsync("/api/digits", new HeldContent(small, rest.Task));

        // Until the first request is inside the service a second one may pass; once it is, the second gets 429.
        HttpResponseMessage? refused = null;
        for (var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1); refused is null && DateTime.UtcNow < deadline; await Task.Delay(10))
        {
            var second = await one.PostPixelsAsync(new float[784]);
            if (second.StatusCode == HttpStatusCode.TooManyRequests)
                refused = second;
            else
                Assert.That((await second.AnswerAsync()).Digit, Is.InRange(0, 9));
        }
        rest.SetResult();

        Assert.That(refused, Is.Not.Null, "no request was refused while another was in progress");
        Assert.That(await Busy(refused!, HttpStatusCode.TooManyRequests),
            Does.StartWith("this client has 1 requests in progress, the most allowed (Limits:PerClientConcurrentRequests)"));
        Assert.That((await (await first).AnswerAsync()).Digit, Is.InRange(0, 9), "the held request is answered once its body arrives");
    }

    /// <summary>A PNG body sent in two halves, the second once <paramref name="rest"/> completes.</summary>
    private sealed class HeldContent : HttpContent
    {
        private readonly byte[] body;
        private readonly Task rest;

        public HeldContent(byte[] body, Task rest)
        {
            (this.body, this.rest) = (body, rest);
            Headers.ContentType = new MediaTypeHeaderValue("image/png");
        }

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            await stream.WriteAsync(body.AsMemory(0, body.Length / 2));
            await stream.FlushAsync();
            await rest;
            await stream.WriteAsync(body.AsMemory(body.Length / 2));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = body.Length;
            return true;
        }
    }
}
