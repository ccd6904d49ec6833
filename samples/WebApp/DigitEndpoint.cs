// DigitEndpoint.cs — POST /api/digits: read the body (bounded), then decode and score under the limiter its size calls
// for, answering the digit, a problem-details error, or 503 with Retry-After when that limiter and its queue are full.
using Microsoft.Extensions.Options;

namespace DigitsML.WebApp;

/// <summary>The handler of POST /api/digits (see docs/webapp.md for the bodies it takes and the errors it answers).</summary>
public static class DigitEndpoint
{
    /// <summary>Answers one request. An upload the client abandons (it closes the connection, or its body ends early) is
    /// logged as information, not as an error: it says nothing about the service.</summary>
    public static async Task<IResult> PostAsync(HttpContext context, DigitModel model, ScoringLimiters limiters,
        LargeImageDecoder largeImages, IOptions<AppLimits> options, ILoggerFactory logs)
    {
        var limits = options.Value;
        var log = logs.CreateLogger(typeof(DigitEndpoint).FullName!);
        var cancel = context.RequestAborted;
        try
        {
            DigitUpload upload = await DigitRequest.ReadAsync(context.Request, limits, cancel);
            using var lease = await limiters.AcquireAsync(upload, cancel);
            if (!lease.IsAcquired)
            {
                string which = limiters.IsLarge(upload.ImagePixels)
                    ? $"{limits.LargeImageConcurrency} large images (over {limits.LargeImagePixels:N0} pixels, Limits:LargeImagePixels) " +
                      $"are being decoded and {limits.LargeImageQueue} wait (Limits:LargeImageConcurrency, Limits:LargeImageQueue)"
                    : $"{limits.ScoringConcurrency} requests are being scored and {limits.ScoringQueue} wait " +
                      "(Limits:ScoringConcurrency, Limits:ScoringQueue)";
                return Problems.Busy(context, StatusCodes.Status503ServiceUnavailable, limits.RetryAfterSeconds,
                    $"the service is busy: {which}; try again in {limits.RetryAfterSeconds} s");
            }
            // A large image decodes on a low-priority thread of its own; everything else right here.
            float[] features = limiters.IsLarge(upload.ImagePixels)
                ? await largeImages.RunAsync(() => upload.Features(limits))
                : upload.Features(limits);
            return Results.Json(model.Predict(features));
        }
        catch (BadDigitRequestException e)
        {
            return Problems.Result(e.StatusCode, e.Message);
        }
        catch (BadHttpRequestException e)  // Kestrel: the body ended before its length, or the client sent it too slowly
        {
            log.LogInformation("POST /api/digits: the upload was cut short by the client ({Reason})", Problems.OneLine(e.Message));
            return Problems.Result(e.StatusCode, $"the upload was cut short ({e.Message})");
        }
        catch (Exception e) when (e is IOException || (e is OperationCanceledException && cancel.IsCancellationRequested))
        {
            // The connection is gone (reset, closed): nobody reads an answer.
            log.LogInformation("POST /api/digits: the client went away during the request ({Reason})", Problems.OneLine(e.Message));
            return Results.Empty;
        }
    }
}
