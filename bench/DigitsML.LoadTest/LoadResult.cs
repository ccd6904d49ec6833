// LoadResult.cs — the measured phase of one run at one client count, and its result line.
using System.Globalization;

namespace DigitsML.LoadTest;

/// <param name="Clients">Concurrent request loops (and the connection limit).</param>
/// <param name="Requests">Requests completed in the measured phase, errors included.</param>
/// <param name="Errors">Of those, the ones answered with a status outside 2xx or ended by an exception (a timeout included).</param>
/// <param name="Seconds">From the first request's start to the last one's end.</param>
/// <param name="Connections">TCP connections the client opened in the whole run, warm-up included.</param>
/// <param name="LatenciesMs">Every completed request's latency in milliseconds (send to whole body read), sorted.</param>
/// <param name="ErrorKinds">Errors by kind ("HTTP 500", "HttpRequestException: ..."), with their counts.</param>
/// <param name="CpuSeconds">This process's CPU time over the measured phase (user and system, all threads).</param>
/// <param name="WarmupRequests">Requests completed in the warm-up.</param>
/// <param name="WarmupErrors">Of those, the errors (not counted in <paramref name="Errors"/>).</param>
internal sealed record LoadResult(int Clients, long Requests, long Errors, double Seconds, int Connections,
    double[] LatenciesMs, IReadOnlyDictionary<string, long> ErrorKinds, double CpuSeconds, long WarmupRequests,
    long WarmupErrors)
{
    public double RequestsPerSecond => Seconds > 0 ? Requests / Seconds : 0;

    public double? P50Ms => LatenciesMs.Length > 0 ? Percentile.NearestRank(LatenciesMs, 50) : null;

    public double? P99Ms => LatenciesMs.Length > 0 ? Percentile.NearestRank(LatenciesMs, 99) : null;

    /// <summary>True when every request succeeded and there was at least one.</summary>
    public bool Passed => Requests > 0 && Errors == 0;

    /// <summary>The result line build/loadtest.sh reads: key=value pairs, invariant culture, "-" where nothing was measured.</summary>
    public string ToLine()
    {
        static string Ms(double? v) => v is { } x ? x.ToString("0.000", CultureInfo.InvariantCulture) : "-";
        // The client's CPU per request says how much of the machine the tool itself takes from the server beside it.
        string cpuPerRequest = Requests > 0 ? (CpuSeconds * 1e6 / Requests).ToString("0.0", CultureInfo.InvariantCulture) : "-";
        return string.Create(CultureInfo.InvariantCulture,
            $"clients={Clients} requests={Requests} seconds={Seconds:0.000} rps={RequestsPerSecond:0.0} p50_ms={Ms(P50Ms)} " +
            $"p99_ms={Ms(P99Ms)} errors={Errors} connections={Connections} client_cpu_us_per_request={cpuPerRequest}");
    }

    /// <summary>One line naming each kind of error and its count, or null when there were none.</summary>
    public string? ErrorSummary()
    {
        if (Errors == 0 && Requests > 0)
            return null;
        if (Requests == 0)
            return $"clients={Clients}: no request completed in the measured phase";
        var kinds = ErrorKinds.OrderByDescending(k => k.Value).Select(k => $"{k.Value} × {k.Key}");
        return $"clients={Clients}: {Errors} of {Requests} requests failed: {string.Join("; ", kinds)}";
    }
}
