// ModelZipFuzzTests.cs — the structural model-zip fuzzer: mutated model zips (entries, lying sizes, ML.NET's trusted
// lengths, the OnnxModel prefix, ONNX protobuf fields) loaded by LoadDigitsModel and scored once; only DataFormatException
// may come out, each mutant within bounded time and peak resident memory (native included).
namespace DigitsML.Tests.Reliability;

/// <remarks>Two runs: a fixed seed (the same mutants in every CI run) and a rotating one, drawn from the clock and printed
/// in every report and failure. Environment variables: DIGITSML_FUZZ_SEED pins the rotating seed (to replay a failure),
/// DIGITSML_FUZZ_MUTANTS and DIGITSML_FUZZ_SECONDS size the rotating run (build/fuzz.sh runs 10,000 mutants).</remarks>
[TestFixture]
[NonParallelizable]
public sealed class ModelZipFuzzTests
{
    private const int FixedSeed = 20020;

    /// <summary>Issue 20's memory bound for a refused bomb, per mutant: peak resident growth over one load.</summary>
    private const long MaxResidentGrowth = 300L << 20;

    /// <summary>No mutant may take longer than this to load or be refused (an ONNX Runtime session takes tens of ms).</summary>
    private static readonly TimeSpan MaxTimePerInput = TimeSpan.FromSeconds(5);

    private TemporaryDirectory scratch = null!;
    private IReadOnlyList<byte[]> seeds = null!;

    [OneTimeSetUp]
    public void MakeSeeds()
    {
        scratch = new TemporaryDirectory();
        seeds = FuzzTargets.ModelZipSeeds();
    }

    [OneTimeTearDown]
    public void RemoveScratch() => scratch.Dispose();

    [Test]
    public void Load_MutatedModelZipsFixedSeed_LoadOrThrowDataFormatException()
    {
        var report = Fuzz(FixedSeed, 200, TimeSpan.FromSeconds(120));

        Assert.That(report.Accepted, Is.GreaterThan(0), "no mutant loaded: the mutations are all too coarse to reach ML.NET or ONNX Runtime");
    }

    [Test]
    public void ReadGraph_MutatedModelZipsFixedSeed_ReadOrThrowDataFormatException()
    {
        var report = Fuzz(FixedSeed, 300, TimeSpan.FromSeconds(60), FuzzTargets.ModelZipGraphs([seeds[0]]));

        Assert.That(report.Accepted, Is.GreaterThan(0), "no mutant was read: the mutations are all too coarse");
    }

    [Test]
    public void Load_MutatedModelZipsRotatingSeed_LoadOrThrowDataFormatException()
    {
        int seed = Setting("DIGITSML_FUZZ_SEED") ?? (int)(DateTime.UtcNow.Ticks % int.MaxValue);
        int mutants = Setting("DIGITSML_FUZZ_MUTANTS") ?? 150;
        var budget = TimeSpan.FromSeconds(Setting("DIGITSML_FUZZ_SECONDS") ?? 60);

        Fuzz(seed, mutants, budget);
    }

    private static int? Setting(string name) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), System.Globalization.CultureInfo.InvariantCulture, out int value) ? value : null;

    private FuzzReport Fuzz(int seed, int mutants, TimeSpan budget, FuzzTarget? reader = null)
    {
        var target = reader ?? FuzzTargets.ModelZipFiles(seeds);
        // The seeds themselves must load, or every mutant would be refused for the wrong reason.
        foreach (var zip in target.Seeds)
            target.Read(zip, Path.Combine(scratch.Path, "seed"));
        string replay = $"seed {seed} (replay: DIGITSML_FUZZ_SEED={seed} with the rotating test)";

        FuzzReport? live = null;
        var run = Task.Factory.StartNew(() => FuzzHarness.Run(target, seed, mutants, budget, scratch.Path, measureResident: true, started: r => live = r),
            TaskCreationOptions.LongRunning);
        bool finished = run.Wait(budget + TimeSpan.FromSeconds(60));
        Assert.That(finished, Is.True, $"the fuzzer did not finish ({replay}): a load hangs, on {live?.Current} after {live?.Iterations} mutants " +
                                       $"({live?.Refused} refused, {live?.Accepted} loaded, {live?.FailureKinds.Count} kinds of failure so far)");
        var report = run.Result;
        TestContext.Out.WriteLine(report);
        TestContext.Out.WriteLine($"{report.Iterations / report.Elapsed.TotalSeconds:F1} mutants/s; peak resident memory of the process " +
                                  $"{ResidentPeak.Peak() / 1048576.0:F0} MiB since the last input");

        Assert.That(report.FailureKinds, Is.Empty, $"{replay}: mutants that raised something other than DataFormatException " +
            $"(one example of each kind):\n{string.Join("\n", report.Failures)}");
        Assert.That(report.Iterations, Is.GreaterThanOrEqualTo(Math.Min(mutants, 50)), $"{replay}: too few mutants ran to mean anything");
        Assert.That(report.Refused, Is.GreaterThan(0), $"{replay}: no mutant was refused: the mutations do not reach the loader");
        Assert.That(report.SlowestInput, Is.LessThan(MaxTimePerInput), $"{replay}: a mutant took too long");
        if (ResidentPeak.CanReset)
            Assert.That(report.MostResidentGrowthByOneInput, Is.LessThan(MaxResidentGrowth), $"{replay}: a mutant raised peak resident memory past the bound");
        return report;
    }
}
