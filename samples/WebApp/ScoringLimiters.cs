// ScoringLimiters.cs — bounds the CPU work of POST /api/digits: decoding and scoring wait for a permit of one of two
// limiters, one for large images and one for everything else, so a flood of large images cannot queue the cheap requests.
using System.Threading.RateLimiting;

namespace DigitsML.WebApp;

/// <summary>Two concurrency limiters (System.Threading.RateLimiting, as ASP.NET Core's rate limiting middleware uses):
/// images of more than <see cref="AppLimits.LargeImagePixels"/> pixels decode under <see cref="AppLimits.LargeImageConcurrency"/>
/// permits with a queue of <see cref="AppLimits.LargeImageQueue"/>; pixels and smaller images under
/// <see cref="AppLimits.ScoringConcurrency"/> with a queue of <see cref="AppLimits.ScoringQueue"/>. Which one a request
/// needs is known from the image's header, before its pixels are decoded. A request that finds its limiter and its queue
/// full is refused at once (503 with Retry-After) rather than waiting without bound.</summary>
public sealed class ScoringLimiters : IDisposable
{
    private readonly ConcurrencyLimiter small, large;
    private readonly int largeImagePixels, smallQueue, largeQueue;

    /// <summary>The limiters the limits describe.</summary>
    public ScoringLimiters(AppLimits limits)
    {
        largeImagePixels = limits.LargeImagePixels;
        (smallQueue, largeQueue) = (limits.ScoringQueue, limits.LargeImageQueue);
        small = Limiter(limits.ScoringConcurrency, limits.ScoringQueue);
        large = Limiter(limits.LargeImageConcurrency, limits.LargeImageQueue);
    }

    private static ConcurrencyLimiter Limiter(int permits, int queue) => new(new ConcurrencyLimiterOptions
    {
        PermitLimit = permits, QueueLimit = queue, QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
    });

    /// <summary>Whether an upload of <paramref name="imagePixels"/> pixels (0 for JSON pixels) counts as a large image.</summary>
    public bool IsLarge(long imagePixels) => imagePixels > largeImagePixels;

    /// <summary>Whether an image of <paramref name="imagePixels"/> pixels would find its limiter and its queue full now:
    /// asked from the image's header, before its body is read, so a flood is refused without reading or buffering its
    /// bodies. Nothing is held: a request that finds room reads its body and then waits for a permit as any other.</summary>
    public bool IsFull(long imagePixels)
    {
        var (limiter, queue) = IsLarge(imagePixels) ? (large, largeQueue) : (small, smallQueue);
        var now = limiter.GetStatistics();
        return now is not null && now.CurrentAvailablePermits == 0 && now.CurrentQueuedCount >= queue;
    }

    /// <summary>A permit for the upload's work: acquired (dispose it when the work is done) or, when its limiter and its
    /// queue are full, not acquired.</summary>
    public ValueTask<RateLimitLease> AcquireAsync(DigitUpload upload, CancellationToken cancel) =>
        (IsLarge(upload.ImagePixels) ? large : small).AcquireAsync(1, cancel);

    /// <inheritdoc />
    public void Dispose()
    {
        small.Dispose();
        large.Dispose();
    }
}
