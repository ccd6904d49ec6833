// RequestSizeLimits.cs — 414 and 431 with a problem-details body for a request line or headers past the app's limits;
// Kestrel's own limits, which answer without a body, are set to twice these (Program.cs).
using Microsoft.AspNetCore.Http.Features;

namespace DigitsML.WebApp;

/// <summary>Middleware refusing a request whose request line is longer than <see cref="AppLimits.MaxRequestLineBytes"/>
/// (414 URI Too Long) or whose headers are more than <see cref="AppLimits.MaxRequestHeaderBytes"/> (431 Request Header
/// Fields Too Large), counted as Kestrel counts them (the line's method, target and version; each header's name, value and
/// separators).</summary>
public sealed class RequestSizeLimits(RequestDelegate next, Microsoft.Extensions.Options.IOptions<AppLimits> options)
{
    /// <summary>Refuses an oversized request, or runs the rest of the pipeline.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        var limits = options.Value;
        var request = context.Request;
        string target = context.Features.Get<IHttpRequestFeature>()?.RawTarget is { Length: > 0 } raw
            ? raw
            : request.PathBase + request.Path + request.QueryString;
        long line = request.Method.Length + 1 + target.Length + 1 + request.Protocol.Length;
        if (line > limits.MaxRequestLineBytes)
            return Problems.WriteAsync(context, StatusCodes.Status414UriTooLong,
                $"the request line is {line:N0} bytes, more than the {limits.MaxRequestLineBytes:N0} allowed (Limits:MaxRequestLineBytes)");
        long headers = 0;
        foreach (var (name, values) in request.Headers)
            foreach (string? value in values)
                headers += name.Length + 2 + (value?.Length ?? 0) + 2;  // "name: value\r\n"
        if (headers > limits.MaxRequestHeaderBytes)
            return Problems.WriteAsync(context, StatusCodes.Status431RequestHeaderFieldsTooLarge,
                $"the request headers are {headers:N0} bytes, more than the {limits.MaxRequestHeaderBytes:N0} allowed (Limits:MaxRequestHeaderBytes)");
        return next(context);
    }
}
