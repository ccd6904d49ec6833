// Problems.cs — every error the service answers is a problem-details JSON body (RFC 9457, application/problem+json)
// whose "detail" is the one line that says what was wrong.
using Microsoft.AspNetCore.Mvc;

namespace DigitsML.WebApp;

/// <summary>Problem-details answers for endpoints (<see cref="Result"/>) and for middleware (<see cref="WriteAsync"/>),
/// both written by ASP.NET Core's <see cref="IProblemDetailsService"/> (AddProblemDetails: type, title, status, detail,
/// traceId).</summary>
public static class Problems
{
    /// <summary>An endpoint's error answer: <paramref name="status"/> and <paramref name="detail"/> (one line).</summary>
    public static IResult Result(int status, string detail) => Results.Problem(detail: OneLine(detail), statusCode: status);

    /// <summary>A 503 (or 429) that asks the client to come back in <paramref name="retryAfterSeconds"/> seconds.</summary>
    public static IResult Busy(HttpContext context, int status, int retryAfterSeconds, string detail)
    {
        context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Result(status, detail);
    }

    /// <summary>Writes <paramref name="status"/> and a problem-details body from middleware (the response has not started).</summary>
    public static async Task WriteAsync(HttpContext context, int status, string detail)
    {
        context.Response.StatusCode = status;
        var service = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await service.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = status, Detail = OneLine(detail) },
        });
    }

    /// <summary>The message on one line (exception messages of the framework may span several).</summary>
    public static string OneLine(string message) => message.ReplaceLineEndings(" ");
}
