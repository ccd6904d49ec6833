// NumberEndpoint.cs — POST /api/numbers: the same bodies (images only) and limits as POST /api/digits, read by the line
// reader of Reader:Path, answering the number, a problem-details error, or 503 with Retry-After when busy.
using Microsoft.Extensions.Options;

namespace DigitsML.WebApp;

/// <summary>The handler of POST /api/numbers (see docs/webapp.md): 200 with a <see cref="NumberAnswer"/>; 404 when no
/// reader is configured; 400 for a bad upload or <c>uncertainBelow</c> (as POST /api/digits answers a bad upload); 415
/// for another content type; 422 when the image decodes but holds no number (the detail is the reading's reason).</summary>
public static class NumberEndpoint
{
    /// <summary>What a request answers when no reader is configured (404).</summary>
    public const string NoReader = "no reader configured: this service was started with Reader:Enabled=false; start it without " +
                                   "that to read numbers with the shipped reader, or with --Reader:Path=reader.zip (a line reader " +
                                   "model made by digits train-reader)";

    /// <summary>Answers one request (the course of it: <see cref="UploadWork.RunAsync"/>).</summary>
    public static async Task<IResult> PostAsync(HttpContext context, ReaderModel reader, ScoringLimiters limiters,
        LargeImageDecoder largeImages, IOptions<AppLimits> options, ILoggerFactory logs)
    {
        if (!reader.IsConfigured)
            return Problems.Result(StatusCodes.Status404NotFound, NoReader);
        float uncertainBelow = ReaderModel.DefaultUncertainBelow;
        if (context.Request.Query.TryGetValue("uncertainBelow", out var asked))
        {
            if (asked.Count != 1)
                return Problems.Result(StatusCodes.Status400BadRequest, "uncertainBelow is given more than once: give it once, a number in [0, 1]");
            if (ReaderModel.ParseThreshold(asked[0] ?? "", out string? problem) is not { } threshold)
                return Problems.Result(StatusCodes.Status400BadRequest, problem!);
            uncertainBelow = threshold;
        }
        return await UploadWork.RunAsync(context, "POST /api/numbers", imagesOnly: true, limiters, largeImages, options.Value,
            logs.CreateLogger(typeof(NumberEndpoint).FullName!), upload =>
            {
                var reading = reader.Read(upload.Image!, uncertainBelow);
                if (reading.Digits.Count > 0)
                    return Results.Json(NumberAnswer.From(reading, uncertainBelow, reader));
                string reason = reading.Reason ?? "no number found";
                // The image itself is bad (damaged data): 400, as POST /api/digits answers it. Otherwise it decoded but
                // holds no number: 422.
                return reading.Unreadable
                    ? Problems.Result(StatusCodes.Status400BadRequest, reason)
                    : Problems.Result(StatusCodes.Status422UnprocessableEntity, $"no number found: {reason}");
            });
    }
}
