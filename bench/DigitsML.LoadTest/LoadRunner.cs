// LoadRunner.cs — one run at one client count: that many concurrent loops posting the same body over one HttpClient,
// an untimed warm-up on the same connections, then the measured phase, bounded in time and in count.
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;

namespace DigitsML.LoadTest;

internal static class LoadRunner
{
    /// <summary>Runs <paramref name="plan"/> with <paramref name="clients"/> concurrent loops. Errors of the server or the
    /// network are counted in the result, never thrown; only <paramref name="cancel"/> ends the run early.</summary>
    public static async Task<LoadResult> RunAsync(LoadPlan plan, int clients, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentOutOfRangeException.ThrowIfLessThan(clients, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(plan.MaxRequests, 1L, nameof(plan));
        int connections = 0;
        // One client and one connection pool per run, capped at one connection per loop, each kept for the whole run:
        // after the warm-up every request reuses an open keep-alive connection, and the count of connections the
        // client opened (reported) shows it did.
        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = clients,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectCallback = async (context, token) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(context.DnsEndPoint, token).ConfigureAwait(false);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
                Interlocked.Increment(ref connections);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        using var client = new HttpClient(handler, disposeHandler: false)
        {
            Timeout = plan.RequestTimeout,
            DefaultRequestVersion = HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        var contentType = MediaTypeHeaderValue.Parse(plan.ContentType);

        Phase warmup = plan.Warmup > TimeSpan.Zero
            ? await RunPhaseAsync(client, plan, contentType, clients, plan.Warmup, cancel).ConfigureAwait(false)
            : Phase.Empty;
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        TimeSpan cpuBefore = process.TotalProcessorTime;
        Phase measured = await RunPhaseAsync(client, plan, contentType, clients, plan.Duration, cancel).ConfigureAwait(false);
        process.Refresh();
        double cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;

        double[] latencies = measured.LatencyTicks.Select(t => t * 1000.0 / Stopwatch.Frequency).ToArray();
        Array.Sort(latencies);
        return new LoadResult(clients, measured.Requests, measured.Errors, measured.Seconds, Volatile.Read(ref connections),
            latencies, measured.ErrorKinds, cpu, warmup.Requests, warmup.Errors);
    }

    // What one phase (warm-up or measured) did, all loops together.
    private sealed record Phase(long Requests, long Errors, double Seconds, List<long> LatencyTicks, Dictionary<string, long> ErrorKinds)
    {
        public static readonly Phase Empty = new(0, 0, 0, [], []);
    }

    // What one loop did; each loop fills its own, so recording a latency takes no lock.
    private sealed class LoopTally
    {
        public readonly List<long> LatencyTicks = new(4096);
        public readonly Dictionary<string, long> ErrorKinds = [];
        public long Errors;
    }

    private static async Task<Phase> RunPhaseAsync(HttpClient client, LoadPlan plan, MediaTypeHeaderValue contentType,
        int clients, TimeSpan length, CancellationToken cancel)
    {
        long started = Stopwatch.GetTimestamp();
        long deadline = started + (long)(length.TotalSeconds * Stopwatch.Frequency);
        var issued = new StrongBox(0);
        var loops = new Task<LoopTally>[clients];
        for (int i = 0; i < clients; i++)
            loops[i] = Task.Run(() => LoopAsync(client, plan, contentType, deadline, issued, cancel), cancel);
        LoopTally[] tallies = await Task.WhenAll(loops).ConfigureAwait(false);
        double seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;

        var latencies = new List<long>(tallies.Sum(t => t.LatencyTicks.Count));
        var kinds = new Dictionary<string, long>();
        foreach (var tally in tallies)
        {
            latencies.AddRange(tally.LatencyTicks);
            foreach (var (kind, count) in tally.ErrorKinds)
                kinds[kind] = kinds.GetValueOrDefault(kind) + count;
        }
        return new Phase(latencies.Count, tallies.Sum(t => t.Errors), seconds, latencies, kinds);
    }

    // Posts until the deadline passes or the phase's count is used up; each request's latency runs from building the
    // request to the last byte of the answer's body.
    private static async Task<LoopTally> LoopAsync(HttpClient client, LoadPlan plan, MediaTypeHeaderValue contentType,
        long deadline, StrongBox issued, CancellationToken cancel)
    {
        var tally = new LoopTally();
        while (Stopwatch.GetTimestamp() < deadline && Interlocked.Increment(ref issued.Value) <= plan.MaxRequests)
        {
            long start = Stopwatch.GetTimestamp();
            string? error = null;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, plan.Url)
                {
                    Content = new ByteArrayContent(plan.Body) { Headers = { ContentType = contentType } },
                };
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancel)
                    .ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                    error = $"HTTP {(int)response.StatusCode}";
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
                throw;
            }
            catch (TaskCanceledException e) when (e.InnerException is TimeoutException)
            {
                error = string.Create(CultureInfo.InvariantCulture, $"timeout: no answer within {plan.RequestTimeout.TotalSeconds:0.###} s");
            }
            catch (Exception e)
            {
                error = Describe(e);
            }
            tally.LatencyTicks.Add(Stopwatch.GetTimestamp() - start);
            if (error is not null)
            {
                tally.Errors++;
                tally.ErrorKinds[error] = tally.ErrorKinds.GetValueOrDefault(error) + 1;
            }
        }
        return tally;
    }

    // The exception and its innermost cause, which says what actually went wrong ("Connection refused").
    private static string Describe(Exception e)
    {
        Exception inner = e;
        while (inner.InnerException is not null)
            inner = inner.InnerException;
        return ReferenceEquals(inner, e) ? $"{e.GetType().Name}: {e.Message}" : $"{e.GetType().Name}: {e.Message} ({inner.Message})";
    }

    // A counter the loops share by reference.
    private sealed class StrongBox(long value)
    {
        public long Value = value;
    }
}
