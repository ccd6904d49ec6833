// EarlyRefusalTests.cs — issue 20's flood: a raw image is judged from the first bytes of its body. An image over the pixel
// limit gets its 400, and one whose limiter and queue are full its 503, while the rest of its body has not been sent (the
// test holds it back), and small images are answered meanwhile.
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SkiaSharp;

namespace DigitsML.WebApp.Tests.Api;

[TestFixture]
public sealed class EarlyRefusalTests
{
    private const int RetryAfter = 5;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private WebAppHost host = null!;
    private HttpClient client = null!;
    private ScoringLimiters limiters = null!;
    private AppLimits limits = null!;

    [OneTimeSetUp]
    public async Task StartApp()
    {
        host = new WebAppHost(new Dictionary<string, string>
        {
            ["Limits:LargeImagePixels"] = "10000",
            ["Limits:LargeImageConcurrency"] = "1",
            ["Limits:LargeImageQueue"] = "0",
            ["Limits:RetryAfterSeconds"] = $"{RetryAfter}",
        });
        await (await host.CreateReadyClientAsync()).GetAsync("/health");
        // The test server's own client: the factory's default one buffers request bodies (to replay them on redirects).
        client = host.Server.CreateClient();
        limiters = host.Services.GetRequiredService<ScoringLimiters>();
        limits = host.Services.GetRequiredService<IOptions<AppLimits>>().Value;
    }

    [OneTimeTearDown]
    public void StopApp()
    {
        client?.Dispose();
        host?.Dispose();
    }

    private static byte[] Encoded(int width, int height, SKEncodedImageFormat format)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        bitmap.Erase(SKColors.White);
        using var data = bitmap.Encode(format, 90);
        return data.ToArray();
    }

    /// <summary>Posts the first <paramref name="sent"/> bytes of <paramref name="body"/> (with the whole body's length) and
    /// returns the response that comes back while the rest is held back; the rest follows once the response is in.</summary>
    private async Task<HttpResponseMessage> PostHeldAsync(byte[] body, int sent, string contentType = "image/png")
    {
        var rest = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var content = new HeldContent(body, sent, rest.Task, contentType);
        try
        {
            var response = await client.PostAsync("/api/digits", content).WaitAsync(Patience);
            Assert.That(content.RestSent, Is.False, "answered before the rest of the body was sent");
            return response;
        }
        catch (TimeoutException)
        {
            Assert.Fail($"no answer within {Patience.TotalSeconds} s while {body.Length - sent:N0} of {body.Length:N0} bytes were held back: the body was waited for");
            throw;
        }
        finally
        {
            rest.TrySetResult();
        }
    }

    [Test]
    public async Task PostPng_HeaderOverPixelLimit_400BeforeTheBodyIsRead()
    {
        byte[] png = Encoded(2048, 2048, SKEncodedImageFormat.Png);

        string error = await (await PostHeldAsync(png, 64)).ErrorAsync(HttpStatusCode.BadRequest);

        Assert.That(error, Is.EqualTo("2048 × 2048 pixels is more than the 1,048,576 allowed (Limits:MaxImagePixels)"));
    }

    [Test]
    public async Task PostJpeg_FrameHeaderAfter10KiBOfMetadata_400OnceTheHeaderHasArrived()
    {
        // An APP15 segment of 10,000 bytes before the frame header (as a large EXIF block or colour profile would be):
        // the header is not in the first 4 KiB, so the service looks again at 16 KiB.
        byte[] jpeg = Encoded(1025, 1024, SKEncodedImageFormat.Jpeg);
        byte[] padding = new byte[10_000];
        int length = padding.Length + 2;
        byte[] padded = [jpeg[0], jpeg[1], 0xFF, 0xEF, (byte)(length >> 8), (byte)length, .. padding, .. jpeg.AsSpan(2)];
        Assert.That(padded, Has.Length.GreaterThan(16 * 1024 + 1), "the test needs bytes to hold back after 16 KiB");

        string error = await (await PostHeldAsync(padded, 16 * 1024 + 1, "image/jpeg")).ErrorAsync(HttpStatusCode.BadRequest);

        Assert.That(error, Is.EqualTo("1025 × 1024 pixels is more than the 1,048,576 allowed (Limits:MaxImagePixels)"));
    }

    [Test]
    public async Task PostForm_FilePartOverPixelLimit_400BeforeTheBodyIsRead()
    {
        var form = new MultipartFormDataContent("early-refusal")
        {
            { new StringContent("a note"), "note" },
            { new ByteArrayContent(Encoded(2048, 2048, SKEncodedImageFormat.Png)), "image", "big.png" },
        };
        byte[] body = await form.ReadAsByteArrayAsync();

        // The first kilobyte: the note, the file part's headers and the PNG's first bytes.
        string error = await (await PostHeldAsync(body, 1100, "multipart/form-data; boundary=early-refusal")).ErrorAsync(HttpStatusCode.BadRequest);

        Assert.That(error, Is.EqualTo("2048 × 2048 pixels is more than the 1,048,576 allowed (Limits:MaxImagePixels)"));
    }

    [Test]
    public async Task PostLargeImages_LargeImageLimiterFull_503BeforeTheirBodiesAreReadWhileSmallImagesAnswered()
    {
        byte[] large = Encoded(300, 300, SKEncodedImageFormat.Png);  // 90,000 pixels: large here
        byte[] small = Mnist.Png(Mnist.TestDigits(1)[0].Pixels);
        using (var held = await limiters.AcquireAsync(DigitUpload.FromImage(large, limits), CancellationToken.None))
        {
            Assert.That(held.IsAcquired, Is.True);

            // A flood of eight at once, each with most of its body held back: each is refused from its header.
            var flood = Enumerable.Range(0, 8).Select(_ => PostHeldAsync(large, 64)).ToArray();
            var answer = client.PostImageAsync(small, "image/png");
            foreach (var refused in await Task.WhenAll(flood))
            {
                Assert.That(await refused.ErrorAsync(HttpStatusCode.ServiceUnavailable), Does.StartWith("the service is busy: 1 large images"));
                Assert.That(refused.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(RetryAfter)), "Retry-After");
            }
            Assert.That((await (await answer).AnswerAsync()).Digit, Is.InRange(0, 9), "a small image is not queued behind them");
        }
        Assert.That((await (await client.PostImageAsync(large, "image/png")).AnswerAsync()).Digit, Is.InRange(0, 9), "answered once the permit is back");
    }

    [TestCase(".png")]
    [TestCase(".jpg")]
    [TestCase(".bmp")]
    [TestCase(".gif")]
    [TestCase(".webp")]
    public void Size_First4KiBOfEachPhotoFormat_TheWholeImagesSize(string extension)
    {
        foreach (string photo in Build.Photos.Where(p => p.EndsWith(extension, StringComparison.Ordinal)))
        {
            byte[] bytes = File.ReadAllBytes(photo);
            using var codec = SKCodec.Create(photo);

            var size = DigitUpload.Size(bytes.AsSpan(0, Math.Min(bytes.Length, 4096)));

            Assert.That(size, Is.EqualTo((codec.Info.Width, codec.Info.Height)), photo);
        }
    }

    [Test]
    public async Task PostPng_WholeBodyArrivesInOnePiece_AnsweredAsBefore()
    {
        byte[] small = Mnist.Png(Mnist.TestDigits(1)[0].Pixels);
        Assert.That((await (await client.PostImageAsync(small, "image/png")).AnswerAsync()).Digit, Is.InRange(0, 9));
        Assert.That(await (await client.PostImageAsync([0x89, 0x50, 0x4E, 0x47], "image/png")).ErrorAsync(HttpStatusCode.BadRequest),
            Is.EqualTo("not an image LoadImages decodes (PNG, JPEG, BMP, GIF, WebP)"), "a body too short for a header is judged whole");
    }

    /// <summary>A body sent in two pieces: the first <c>sent</c> bytes, then the rest once <c>rest</c> completes.</summary>
    private sealed class HeldContent : HttpContent
    {
        private readonly byte[] body;
        private readonly int sent;
        private readonly Task rest;

        public HeldContent(byte[] body, int sent, Task rest, string contentType)
        {
            (this.body, this.sent, this.rest) = (body, sent, rest);
            Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        public bool RestSent { get; private set; }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(body.AsMemory(0, sent));
            await stream.FlushAsync();
            await rest;
            RestSent = true;
            try
            {
                await stream.WriteAsync(body.AsMemory(sent));
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException)
            {
                // The service answered and stopped reading: the rest has nowhere to go.
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = body.Length;
            return true;
        }
    }
}
