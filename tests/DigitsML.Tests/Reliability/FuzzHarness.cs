// FuzzHarness.cs — runs a reader over seeded mutants within an iteration and a time bound and records what happened.
using System.Diagnostics;

namespace DigitsML.Tests.Reliability;

/// <summary>A reader under fuzzing: valid seed files, how to corrupt them, and how to read one input. Read must either
/// return normally (after checking that what it parsed is valid) or let the reader's exception escape; the harness
/// decides which exception types are allowed.</summary>
/// <param name="Name">Shown in the report.</param>
/// <param name="Seeds">Valid files the mutants start from.</param>
/// <param name="Mutate">Makes one mutant and says what it did.</param>
/// <param name="Read">Reads one input; the second argument is a scratch file path the target may write the bytes to.</param>
/// <param name="IsRefusal">Which exceptions are the reader's documented refusal; default null, <see cref="DataFormatException"/> only.</param>
internal sealed record FuzzTarget(string Name, IReadOnlyList<byte[]> Seeds, Func<Mutator, byte[], (byte[] Bytes, string What)> Mutate,
    Action<byte[], string> Read, Func<Exception, bool>? IsRefusal = null)
{
    /// <summary>Whether <paramref name="e"/> is a refusal rather than a failure.</summary>
    public bool Refuses(Exception e) => IsRefusal?.Invoke(e) ?? e is DataFormatException;
}

/// <summary>What one fuzzing run saw.</summary>
internal sealed class FuzzReport
{
    public required string Target { get; init; }
    public required int Seed { get; init; }
    public int Iterations { get; set; }
    public int Accepted { get; set; }
    public int Refused { get; set; }
    public TimeSpan Elapsed { get; set; }
    public TimeSpan SlowestInput { get; set; }
    public long MostBytesAllocatedByOneInput { get; set; }

    /// <summary>The largest rise of peak resident memory (VmHWM, native included) over one input, when measured.</summary>
    public long MostResidentGrowthByOneInput { get; set; }
    public List<string> Failures { get; } = [];

    /// <summary>The mutant being read now (number and mutation), so a run that hangs can name it.</summary>
    public string Current { get; set; } = "";

    /// <summary>Failures seen so far by exception type and throwing method, so each distinct bug is reported once in full.</summary>
    public Dictionary<string, int> FailureKinds { get; } = [];

    public override string ToString() =>
        $"{Target}: seed {Seed}, {Iterations} mutants in {Elapsed.TotalSeconds:F1} s ({Accepted} parsed, {Refused} refused, " +
        $"{FailureKinds.Values.Sum()} failures); slowest input {SlowestInput.TotalMilliseconds:F0} ms, most managed bytes " +
        $"allocated by one input {MostBytesAllocatedByOneInput / 1048576.0:F1} MiB" +
        (MostResidentGrowthByOneInput > 0 ? $", most peak resident growth over one input {MostResidentGrowthByOneInput / 1048576.0:F1} MiB" : "");
}

internal static class FuzzHarness
{
    /// <summary>Feeds mutants of <paramref name="target"/>'s seeds to its reader until <paramref name="iterations"/> are
    /// done or <paramref name="budget"/> has passed. Only the target's refusal (<see cref="DataFormatException"/> unless it
    /// says otherwise) counts as a refusal; any other exception is a failure, recorded with the mutation that caused it.
    /// With <paramref name="measureResident"/>, the process's peak resident memory is reset before each input and read
    /// after it (Linux), so native allocations count too.</summary>
    public static FuzzReport Run(FuzzTarget target, int seed, int iterations, TimeSpan budget, string scratchDirectory, bool measureResident = false,
        Action<FuzzReport>? started = null)
    {
        measureResident &= ResidentPeak.CanReset;
        var mutator = new Mutator(new Random(seed));
        var report = new FuzzReport { Target = target.Name, Seed = seed };
        started?.Invoke(report);
        string scratch = Path.Combine(scratchDirectory, "input");
        var clock = Stopwatch.StartNew();
        while (report.Iterations < iterations && clock.Elapsed < budget)
        {
            byte[] bytes = target.Seeds[mutator.Random.Next(target.Seeds.Count)];
            string what = "";
            // Stacked mutations find bugs that a single change cannot reach (a bad size behind a fixed-up header).
            int rounds = 1 + (mutator.Random.Next(4) == 0 ? mutator.Random.Next(1, 3) : 0);
            report.Iterations++;
            try
            {
                for (int r = 0; r < rounds; r++)
                {
                    (bytes, string how) = target.Mutate(mutator, bytes);
                    what += (r == 0 ? "" : "; ") + how;
                }
            }
            catch (Exception e)
            {
                // A bug of the mutator, not of the reader: reported as a failure, and the run goes on.
                string kind = $"the mutator's own {e.GetType().FullName}";
                report.FailureKinds[kind] = report.FailureKinds.GetValueOrDefault(kind) + 1;
                if (report.FailureKinds[kind] == 1)
                    report.Failures.Add($"mutant {report.Iterations} ({what}): the mutator failed: {e}");
                continue;
            }
            long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            long residentBefore = measureResident ? ResidentPeak.Reset() : 0;
            report.Current = $"mutant {report.Iterations} ({what}), from {clock.Elapsed.TotalSeconds:F0} s";
            var began = clock.Elapsed;
            try
            {
                target.Read(bytes, scratch);
                report.Accepted++;
            }
            catch (Exception e) when (target.Refuses(e))
            {
                report.Refused++;
            }
            catch (Exception e)
            {
                string kind = $"{e.GetType().FullName} at {e.StackTrace?.Split('\n').FirstOrDefault()?.Trim()}";
                report.FailureKinds[kind] = report.FailureKinds.GetValueOrDefault(kind) + 1;
                if (report.FailureKinds[kind] == 1)
                    report.Failures.Add($"mutant {report.Iterations} ({what}): {e.GetType().FullName}: {e.Message}\n{e.StackTrace}");
            }
            var took = clock.Elapsed - began;
            if (took > report.SlowestInput)
                report.SlowestInput = took;
            report.MostBytesAllocatedByOneInput = Math.Max(report.MostBytesAllocatedByOneInput,
                GC.GetAllocatedBytesForCurrentThread() - allocatedBefore);
            if (measureResident)
                report.MostResidentGrowthByOneInput = Math.Max(report.MostResidentGrowthByOneInput, ResidentPeak.Peak() - residentBefore);
        }
        report.Elapsed = clock.Elapsed;
        return report;
    }
}
