// LoadPlan.cs — what one load run posts, where, and its bounds in time and count.
namespace DigitsML.LoadTest;

/// <param name="Url">The endpoint every request posts to.</param>
/// <param name="Body">The request body, the same bytes for every request.</param>
/// <param name="ContentType">The body's media type (image/png).</param>
/// <param name="Duration">How long the measured phase starts new requests; those in flight then finish.</param>
/// <param name="MaxRequests">At most this many requests in the measured phase, all clients together (and as many in the
/// warm-up).</param>
/// <param name="Warmup">How long the untimed warm-up before it runs, on the same connections (zero: none).</param>
/// <param name="RequestTimeout">A request not answered in this time counts as an error, so a run ends by
/// Warmup + Duration + RequestTimeout at the latest.</param>
internal sealed record LoadPlan(Uri Url, byte[] Body, string ContentType, TimeSpan Duration, long MaxRequests,
    TimeSpan Warmup, TimeSpan RequestTimeout);
