// PerClientPolicy.cs — the rate limiting middleware's policy for POST /api/digits: at most
// Limits:PerClientConcurrentRequests requests at once from one client address (429 with Retry-After past it), or none.
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace DigitsML.WebApp;

/// <summary>Partitions requests by the client's IP address, each with a concurrency limiter of
/// <see cref="AppLimits.PerClientConcurrentRequests"/> permits and no queue; with that setting at 0 (the default) every
/// request goes through. Refusals are 429 Too Many Requests with Retry-After and a problem-details body.</summary>
public sealed class PerClientPolicy(IOptions<AppLimits> options) : IRateLimiterPolicy<string>
{
    /// <summary>The policy's name, for <c>RequireRateLimiting</c>.</summary>
    public const string Name = "per-client";

    /// <inheritdoc />
    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected { get; } = async (rejected, _) =>
    {
        var context = rejected.HttpContext;
        var limits = context.RequestServices.GetRequiredService<IOptions<AppLimits>>().Value;
        context.Response.Headers.RetryAfter = limits.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await Problems.WriteAsync(context, StatusCodes.Status429TooManyRequests,
            $"this client has {limits.PerClientConcurrentRequests} requests in progress, the most allowed " +
            $"(Limits:PerClientConcurrentRequests): try again in {limits.RetryAfterSeconds} s");
    };

    /// <inheritdoc />
    public RateLimitPartition<string> GetPartition(HttpContext httpContext)
    {
        int permits = options.Value.PerClientConcurrentRequests;
        string client = httpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        return permits == 0
            ? RateLimitPartition.GetNoLimiter(client)
            : RateLimitPartition.GetConcurrencyLimiter(client, _ => new ConcurrencyLimiterOptions { PermitLimit = permits, QueueLimit = 0 });
    }
}
