// UploadWork.cs — what POST /api/digits and POST /api/numbers share: read the body (bounded), wait for the limiter its
// size calls for, do the endpoint's work (a large image on a low-priority thread), and turn every failure into a status
// with a problem-details body, or 503 with Retry-After when the limiter and its queue are full.
namespace DigitsML.WebApp;

/// <summary>The common course of an upload endpoint around its own work (scoring a digit, reading a number).</summary>
public static class UploadWork
{
    /// <summary>Answers one request: <paramref name="work"/> is given the checked upload under a permit of
    /// <paramref name="limiters"/> and gives the answer. An upload the client abandons (it closes the connection, or its
    /// body ends early) is logged as information, not as an error: it says nothing about the service.</summary>
    /// <param name="context">The request.</param>
    /// <param name="endpoint">The endpoint's name for the log, e.g. "POST /api/digits".</param>
    /// <param name="imagesOnly">True when the endpoint reads images only (no JSON pixels).</param>
    /// <param name="limiters">The decode-and-score limiters.</param>
    /// <param name="largeImages">Where a large image's work runs.</param>
    /// <param name="limits">The app's limits.</param>
    /// <param name="log">The endpoint's log.</param>
    /// <param name="work">The endpoint's own work; it may throw <see cref="BadDigitRequestException"/>.</param>
    public static async Task<IResult> RunAsync(HttpContext context, string endpoint, bool imagesOnly, ScoringLimiters limiters,
        LargeImageDecoder largeImages, AppLimits limits, ILogger log, Func<DigitUpload, IResult> work)
    {
        var cancel = context.RequestAborted;
        try
        {
            // A raw image whose limiter is full is refused from its header, before its body is read: a flood of large
            // images costs the service its first bytes, not its whole bodies.
            DigitUpload upload = await DigitRequest.ReadAsync(context.Request, limits, cancel, imagesOnly, pixels =>
            {
                if (limiters.IsFull(pixels))
                    throw Busy(limiters, limits, pixels);
            });
            using var lease = await limiters.AcquireAsync(upload, cancel);
            if (!lease.IsAcquired)
                throw Busy(limiters, limits, upload.ImagePixels);
            // A large image decodes on a low-priority thread of its own; everything else right here.
            return limiters.IsLarge(upload.ImagePixels)
                ? await largeImages.RunAsync(() => work(upload))
                : work(upload);
        }
        catch (BadDigitRequestException e)
        {
            return e.RetryAfterSeconds is { } seconds
                ? Problems.Busy(context, e.StatusCode, seconds, e.Message)
                : Problems.Result(e.StatusCode, e.Message);
        }
        catch (BadHttpRequestException e)  // Kestrel: the body ended before its length, or the client sent it too slowly
        {
            log.LogInformation("{Endpoint}: the upload was cut short by the client ({Reason})", endpoint, Problems.OneLine(e.Message));
            return Problems.Result(e.StatusCode, $"the upload was cut short ({e.Message})");
        }
        catch (Exception e) when (e is IOException || (e is OperationCanceledException && cancel.IsCancellationRequested))
        {
            // The connection is gone (reset, closed): nobody reads an answer.
            log.LogInformation("{Endpoint}: the client went away during the request ({Reason})", endpoint, Problems.OneLine(e.Message));
            return Results.Empty;
        }
    }

    /// <summary>The 503 of a full limiter and queue, with Retry-After.</summary>
    private static BadDigitRequestException Busy(ScoringLimiters limiters, AppLimits limits, long imagePixels)
    {
        string which = limiters.IsLarge(imagePixels)
            ? $"{limits.LargeImageConcurrency} large images (over {limits.LargeImagePixels:N0} pixels, Limits:LargeImagePixels) " +
              $"are being decoded and {limits.LargeImageQueue} wait (Limits:LargeImageConcurrency, Limits:LargeImageQueue)"
            : $"{limits.ScoringConcurrency} requests are being scored and {limits.ScoringQueue} wait " +
              "(Limits:ScoringConcurrency, Limits:ScoringQueue)";
        return new BadDigitRequestException(StatusCodes.Status503ServiceUnavailable,
            $"the service is busy: {which}; try again in {limits.RetryAfterSeconds} s", limits.RetryAfterSeconds);
    }
}
