// ServerMemory.cs — the server process's resident memory (RSS, native memory included) read from /proc, sampled while
// a flood runs and after it, for the flood mode's peak and after-flood figures.
using System.Globalization;

namespace DigitsML.LoadTest;

/// <summary>Samples one process's VmRSS every <see cref="Interval"/> until stopped, keeping the peak and the last value.</summary>
internal sealed class ServerMemory
{
    /// <summary>How often the RSS is read.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    private readonly int pid;
    private long peakBytes, lastBytes;

    /// <summary>Samples process <paramref name="pid"/>; <see cref="ReadRss"/> once first, so a missing process fails here.</summary>
    /// <exception cref="IOException">The process's /proc/PID/status cannot be read or has no VmRSS line.</exception>
    public ServerMemory(int pid)
    {
        this.pid = pid;
        lastBytes = peakBytes = ReadRss(pid);
    }

    /// <summary>The highest RSS seen since the last <see cref="ResetPeak"/>, in bytes.</summary>
    public long PeakBytes => Interlocked.Read(ref peakBytes);

    /// <summary>The latest RSS read, in bytes.</summary>
    public long LastBytes => Interlocked.Read(ref lastBytes);

    /// <summary>Starts the peak again from the latest value.</summary>
    public void ResetPeak() => Interlocked.Exchange(ref peakBytes, LastBytes);

    /// <summary>Reads the RSS every <see cref="Interval"/> until <paramref name="stop"/>; a process that has gone ends it.</summary>
    public async Task SampleAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                long rss = ReadRss(pid);
                Interlocked.Exchange(ref lastBytes, rss);
                long peak;
                while (rss > (peak = PeakBytes) && Interlocked.CompareExchange(ref peakBytes, rss, peak) != peak)
                {
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (IOException)
        {
        }
    }

    /// <summary>VmRSS of process <paramref name="pid"/> in bytes (Linux: the "VmRSS: N kB" line of /proc/PID/status).</summary>
    /// <exception cref="IOException">No such line, or the file cannot be read (the process is gone).</exception>
    public static long ReadRss(int pid)
    {
        foreach (string line in File.ReadLines($"/proc/{pid}/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        throw new IOException($"/proc/{pid}/status has no VmRSS line");
    }
}
