// ReaderFuzzTests.cs — the mutation fuzzer: thousands of corrupted IDX files, network files, safetensors and images, each
// parsed or refused with the reader's documented exception; no other exception, no hang, no crash, bounded memory.
using DigitsML.Testing;

namespace DigitsML.Tests.Reliability;

[TestFixture]
[NonParallelizable]
public sealed class ReaderFuzzTests
{
    /// <summary>Fixed so CI is repeatable; printed with every report so a failure can be replayed by setting it here (or
    /// DIGITSML_FUZZ_READER_SEED). build/fuzz.sh --readers sets DIGITSML_FUZZ_READER_SEED, DIGITSML_FUZZ_READER_MUTANTS
    /// (mutants per reader) and DIGITSML_FUZZ_SECONDS (each reader's budget) for a run at length.</summary>
    private const int Seed = 60606;

    /// <summary>Each target stops at its iteration count or after this long, whichever comes first.</summary>
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(20);

    /// <summary>A reader stuck longer than this on the whole run is a hang.</summary>
    private static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(90);

    /// <summary>No single input may make a reader allocate more than this (the seeds are under 40 KiB; a header may
    /// claim gigabytes). Stated in README's bounds: readers check sizes before allocating.</summary>
    private const long MaxBytesPerInput = 64L << 20;

    /// <summary>No single input may take longer than this to parse or refuse.</summary>
    private static readonly TimeSpan MaxTimePerInput = TimeSpan.FromSeconds(2);

    private TemporaryDirectory scratch = null!;
    private byte[] images = null!, labels = null!, network = null!;

    [OneTimeSetUp]
    public void MakeSeeds()
    {
        scratch = new TemporaryDirectory();
        (images, labels) = FuzzTargets.IdxSeeds();
        network = FuzzTargets.NetworkSeed(scratch.Path);
    }

    [OneTimeTearDown]
    public void RemoveScratch() => scratch.Dispose();

    private static IEnumerable<TestCaseData> Targets()
    {
        yield return new TestCaseData("idx-images", 1500).SetName("Read_MutatedIdxImageFiles_ParseOrThrowDataFormatException");
        yield return new TestCaseData("idx-labels", 1000).SetName("Read_MutatedIdxLabelFiles_ParseOrThrowDataFormatException");
        yield return new TestCaseData("network", 500).SetName("Load_MutatedNetworkFiles_ParseOrThrowDataFormatException");
        yield return new TestCaseData("safetensors", 2000).SetName("Read_MutatedSafetensors_ParseOrThrowDataFormatException");
        yield return new TestCaseData("images", 2000).SetName("DecodeAndNormalize_MutatedImageFiles_ReadOrRefused");
    }

    private static int? Setting(string name) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), System.Globalization.CultureInfo.InvariantCulture, out int value) ? value : null;

    [TestCaseSource(nameof(Targets))]
    public void Fuzz(string name, int iterations)
    {
        FuzzTarget target = name switch
        {
            "idx-images" => FuzzTargets.IdxImages(images, labels),
            "idx-labels" => FuzzTargets.IdxLabels(images, labels),
            "network" => FuzzTargets.NetworkFiles(network),
            "images" => FuzzTargets.ImageFiles(),
            _ => FuzzTargets.SafetensorsFiles(network),
        };
        int seed = Setting("DIGITSML_FUZZ_READER_SEED") ?? Seed;
        iterations = Setting("DIGITSML_FUZZ_READER_MUTANTS") ?? iterations;
        var budget = Setting("DIGITSML_FUZZ_SECONDS") is int seconds ? TimeSpan.FromSeconds(seconds) : Budget;
        var hangLimit = HangLimit + budget - Budget;
        // The seeds themselves must parse, or every mutant would be refused for the wrong reason.
        foreach (var input in target.Seeds)
            target.Read(input, Path.Combine(scratch.Path, "seed"));
        long heapBefore = GC.GetTotalMemory(forceFullCollection: true);

        var run = Task.Factory.StartNew(() => FuzzHarness.Run(target, seed, iterations, budget, scratch.Path), TaskCreationOptions.LongRunning);
        Assert.That(run.Wait(hangLimit), Is.True, $"{target.Name}: the fuzzer did not finish within {hangLimit} (seed {seed}): a reader hangs");
        var report = run.Result;
        long heapGrowth = GC.GetTotalMemory(forceFullCollection: true) - heapBefore;
        TestContext.Out.WriteLine(report);
        TestContext.Out.WriteLine($"managed heap growth over the run: {heapGrowth / 1048576.0:F1} MiB");

        Assert.That(report.FailureKinds, Is.Empty, $"seed {seed}: inputs that raised something other than the reader's refusal " +
            $"(one example of each kind):\n{string.Join("\n", report.Failures)}");
        Assert.That(report.Iterations, Is.GreaterThanOrEqualTo(Math.Min(iterations, 100)), "too few mutants ran to mean anything");
        Assert.That(report.Refused, Is.GreaterThan(0), "no mutant was refused: the mutations do not reach the reader");
        Assert.That(report.MostBytesAllocatedByOneInput, Is.LessThan(MaxBytesPerInput), "an input made the reader allocate past the bound");
        Assert.That(report.SlowestInput, Is.LessThan(MaxTimePerInput), "an input took too long");
        Assert.That(heapGrowth, Is.LessThan(64L << 20), "the run left managed memory behind");
    }
}
