// ResidentPeak.cs — the process's peak resident memory (VmHWM, native allocations included), reset before a step so the
// step's own peak can be read, as the memory bounds of the model-zip fuzzer and the bomb tests need.
namespace DigitsML.Tests.Reliability;

internal static class ResidentPeak
{
    /// <summary>Whether the kernel lets this process reset its peak (writing 5 to /proc/self/clear_refs, Linux 4.0+).</summary>
    public static bool CanReset { get; } = TryReset();

    /// <summary>Sets the peak to the current resident size; returns that size in bytes.</summary>
    public static long Reset()
    {
        TryReset();
        return Read("VmRSS:");
    }

    /// <summary>The peak resident size since the last reset (or the start), in bytes.</summary>
    public static long Peak() => Read("VmHWM:");

    private static bool TryReset()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static long Read(string field)
    {
        string line = File.ReadLines("/proc/self/status").First(l => l.StartsWith(field, StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }
}
