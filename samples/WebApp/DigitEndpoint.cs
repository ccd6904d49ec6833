// DigitEndpoint.cs — POST /api/digits: read the body (bounded), then decode and score under the limiter its size calls
// for, answering the digit, a problem-details error, or 503 with Retry-After when that limiter and its queue are full.
using Microsoft.Extensions.Options;

namespace DigitsML.WebApp;

/// <summary>The handler of POST /api/digits (see docs/webapp.md for the bodies it takes and the errors it answers).</summary>
public static class DigitEndpoint
{
    /// <summary>Answers one request (the course of it: <see cref="UploadWork.RunAsync"/>).</summary>
    public static Task<IResult> PostAsync(HttpContext context, DigitModel model, ScoringLimiters limiters,
        LargeImageDecoder largeImages, IOptions<AppLimits> options, ILoggerFactory logs)
    {
        var limits = options.Value;
        return UploadWork.RunAsync(context, "POST /api/digits", imagesOnly: false, limiters, largeImages, limits,
            logs.CreateLogger(typeof(DigitEndpoint).FullName!), upload => Results.Json(model.Predict(upload.Features(limits))));
    }
}
