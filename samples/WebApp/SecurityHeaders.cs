// SecurityHeaders.cs — the response headers that keep browsers from sniffing, framing, leaking referrers or granting
// the page powers it does not use, on every answer (pages, API, errors).
namespace DigitsML.WebApp;

/// <summary>Middleware adding the security headers to every response before it starts. The Content-Security-Policy
/// allows exactly what the draw-a-digit page uses: its own script, stylesheet and fetches, canvas images as data/blob
/// URLs, no frames, no plugins, no inline script.</summary>
public sealed class SecurityHeaders(RequestDelegate next)
{
    /// <summary>The page's policy: everything from this origin only, nothing inline, never framed.</summary>
    public const string ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; " +
        "img-src 'self' data: blob:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /// <summary>Powers the page never asks for, refused to it and to anything it could embed.</summary>
    public const string PermissionsPolicy = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), " +
        "interest-cohort=()";

    /// <summary>Adds the headers, then runs the rest of the pipeline.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(static state =>
        {
            var headers = ((HttpResponse)state).Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Permissions-Policy"] = PermissionsPolicy;
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            headers["Cross-Origin-Resource-Policy"] = "same-origin";
            return Task.CompletedTask;
        }, context.Response);
        return next(context);
    }
}
