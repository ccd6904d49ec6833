// FloodRunner.cs — the flood mode: many clients posting a large image without pause (a hostile flood: they ignore
// Retry-After) for a set time, with the server's RSS during and after. The normal client is another process (an ordinary
// load run, build/loadtest.sh --flood), so the flood's work in this process does not delay its requests here.
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;

namespace DigitsML.LoadTest;

/// <param name="Url">The endpoint the flood posts to.</param>
/// <param name="Body">The flood's image (e.g. a 2048 × 2048 PNG), posted as image/png.</param>
/// <param name="Clients">Concurrent flood loops, one connection each.</param>
/// <param name="Duration">How long the flood goes on.</param>
/// <param name="Timeout">A flood request not answered in this time counts as failed.</param>
/// <param name="After">How long after the flood ends the server's RSS is read again (the memory it gave back).</param>
internal sealed record FloodPlan(Uri Url, byte[] Body, int Clients, TimeSpan Duration, TimeSpan Timeout, TimeSpan After);

/// <summary>What the flood got and what it cost the server's memory.</summary>
/// <param name="Requests">Flood requests completed.</param>
/// <param name="Statuses">Completed flood requests by status code.</param>
/// <param name="Failures">Flood requests that got no answer (timeout, connection error), by kind.</param>
/// <param name="RssBeforeBytes">The server's RSS before the flood (null: not measured).</param>
/// <param name="RssPeakBytes">Its highest RSS while the flood ran.</param>
/// <param name="RssAfterBytes">Its RSS <see cref="FloodPlan.After"/> after the flood ended.</param>
/// <param name="AfterSeconds">That wait, in seconds.</param>
internal sealed record FloodResult(long Requests, IReadOnlyDictionary<int, long> Statuses, IReadOnlyDictionary<string, long> Failures,
    long? RssBeforeBytes, long? RssPeakBytes, long? RssAfterBytes, double AfterSeconds)
{
    /// <summary>The flood's result line: key=value, "-" where nothing was measured.</summary>
    public string ToLine()
    {
        static string Mb(long? bytes) => bytes is { } b ? (b / 1048576.0).ToString("0", CultureInfo.InvariantCulture) : "-";
        long Count(int status) => Statuses.GetValueOrDefault(status);
        long other = Statuses.Where(s => s.Key is not (200 or 400 or 429 or 503)).Sum(s => s.Value);
        return string.Create(CultureInfo.InvariantCulture,
            $"flood_requests={Requests} flood_200={Count(200)} flood_400={Count(400)} flood_429={Count(429)} flood_503={Count(503)} " +
            $"flood_other={other} flood_failed={Failures.Values.Sum()} rss_before_mb={Mb(RssBeforeBytes)} rss_peak_mb={Mb(RssPeakBytes)} " +
            $"rss_after_mb={Mb(RssAfterBytes)} after_s={AfterSeconds:0}");
    }
}

internal static class FloodRunner
{
    /// <summary>Floods <see cref="FloodPlan.Url"/> for <see cref="FloodPlan.Duration"/>, then waits
    /// <see cref="FloodPlan.After"/> and reads the server's RSS (when <paramref name="serverPid"/> is given).</summary>
    public static async Task<FloodResult> RunAsync(FloodPlan flood, int? serverPid, CancellationToken cancel = default)
    {
        var memory = serverPid is { } pid ? new ServerMemory(pid) : null;
        long? before = memory?.LastBytes;
        using var sampling = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        Task sampler = memory?.SampleAsync(sampling.Token) ?? Task.CompletedTask;

        using var stopFlood = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = flood.Clients, UseProxy = false, UseCookies = false };
        using var client = new HttpClient(handler) { Timeout = flood.Timeout };
        var contentType = MediaTypeHeaderValue.Parse("image/png");
        var loops = Enumerable.Range(0, flood.Clients)
            .Select(_ => Task.Run(() => FloodLoopAsync(client, flood.Url, flood.Body, contentType, stopFlood.Token))).ToArray();
        try
        {
            await Task.Delay(flood.Duration, cancel).ConfigureAwait(false);
            stopFlood.Cancel();
            var tallies = await Task.WhenAll(loops).ConfigureAwait(false);
            long? peak = memory?.PeakBytes;
            var statuses = new Dictionary<int, long>();
            var failures = new Dictionary<string, long>();
            foreach (var tally in tallies)
            {
                foreach (var (status, count) in tally.Statuses)
                    statuses[status] = statuses.GetValueOrDefault(status) + count;
                foreach (var (kind, count) in tally.Failures)
                    failures[kind] = failures.GetValueOrDefault(kind) + count;
            }
            long? after = null;
            if (memory is not null)
            {
                await Task.Delay(flood.After, cancel).ConfigureAwait(false);
                after = ServerMemory.ReadRss(serverPid!.Value);
            }
            return new FloodResult(statuses.Values.Sum() + failures.Values.Sum(), statuses, failures, before, peak, after,
                flood.After.TotalSeconds);
        }
        finally
        {
            stopFlood.Cancel();
            sampling.Cancel();
            await sampler.ConfigureAwait(false);
        }
    }

    private sealed class FloodTally
    {
        public readonly Dictionary<int, long> Statuses = [];
        public readonly Dictionary<string, long> Failures = [];
    }

    // Posts the flood image again and again, at once after each answer, until stopped; counts the statuses.
    private static async Task<FloodTally> FloodLoopAsync(HttpClient client, Uri url, byte[] body, MediaTypeHeaderValue contentType,
        CancellationToken stop)
    {
        var tally = new FloodTally();
        while (!stop.IsCancellationRequested)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, url)
                {
                    Content = new ByteArrayContent(body) { Headers = { ContentType = contentType } },
                    Version = HttpVersion.Version11,
                };
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, stop).ConfigureAwait(false);
                int status = (int)response.StatusCode;
                tally.Statuses[status] = tally.Statuses.GetValueOrDefault(status) + 1;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;  // the flood's end cuts its requests in flight: not counted
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                string kind = e is TaskCanceledException ? "timeout" : e.Message;
                tally.Failures[kind] = tally.Failures.GetValueOrDefault(kind) + 1;
            }
        }
        return tally;
    }
}
