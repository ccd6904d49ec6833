// RecordsBench.cs — the `--records` measurement of build/bench.sh: a speed-record preset trained through ML.NET's Fit
// over several seeds, timed from data in memory to the fitted model, then scored on the test set (or, for recipe search,
// on images held out of the training set), with where each epoch's time went.
using System.Diagnostics;
using System.Globalization;
using DigitsML;
using DigitsML.Engine;
using DigitsML.Networks;
using DigitsML.Trainers;
using Microsoft.ML;
using Microsoft.ML.Transforms;

/// <summary>Runs a preset of <see cref="TrainingPresets"/> over seeds and prints one line per seed and a summary line.</summary>
internal static class RecordsBench
{
    /// <summary>What a records run was asked for.</summary>
    internal sealed record Request(string Preset, int Seeds, int FirstSeed, double Validation, int? Epochs, int? BatchSize,
        double? MaxRate, string? Architecture, int Images, double? LabelSmoothing = null);

    /// <summary>Reads the records options out of <paramref name="args"/> (those Program.cs does not read itself).</summary>
    /// <returns>The request, or null with <paramref name="error"/> naming what was wrong.</returns>
    internal static Request? Parse(string preset, IReadOnlyDictionary<string, string> options, int images, out string? error)
    {
        error = null;
        if (!TrainingPresets.Records.Any(p => p.Name == preset))
        {
            error = $"unknown preset '{preset}': use {string.Join(", ", TrainingPresets.Records.Select(p => p.Name))}";
            return null;
        }
        int seeds = 5, firstSeed = 1;
        int? epochs = null, batch = null;
        double validation = 0;
        double? maxRate = null, smoothing = null;
        string? arch = null;
        foreach (var (key, value) in options)
        {
            bool ok = key switch
            {
                "--seeds" => Whole(value, 1, out seeds),
                "--first-seed" => Whole(value, 0, out firstSeed),
                "--epochs" => Whole(value, 1, out int e) && Set(ref epochs, e),
                "--batch" => Whole(value, 1, out int b) && Set(ref batch, b),
                "--validation" => Fraction(value, out validation),
                "--max-lr" => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double r) && r > 0
                              && double.IsFinite(r) && Set(ref maxRate, r),
                "--arch" => (arch = value) is not null,
                "--smoothing" => Fraction(value, out double ls) && Set(ref smoothing, ls),
                _ => Unknown(key, out error),
            };
            if (error is not null)
                return null;
            if (!ok)
            {
                error = key switch
                {
                    "--validation" or "--smoothing" => $"{key} takes a fraction in [0, 1), not '{value}'",
                    "--max-lr" => $"--max-lr takes a positive number, not '{value}'",
                    "--seeds" or "--epochs" or "--batch" => $"{key} takes a whole number of at least 1, not '{value}'",
                    _ => $"{key} takes a whole number of at least 0, not '{value}'",
                };
                return null;
            }
        }
        if (validation > 0 && Members(preset) > 1)
        {
            // Each member would hold out other images (the split follows the seed), so no image would be unseen by all.
            error = $"--validation cannot measure {preset}, an ensemble of {Members(preset)} networks: train its members with " +
                    "`digits train --train-count N` and score their `digits ensemble` on the training images after N";
            return null;
        }
        if (arch is not null && !CnnArchitectures.All.ContainsKey(arch))
        {
            error = $"unknown network '{arch}': use one of {string.Join(", ", CnnArchitectures.All.Keys)}";
            return null;
        }
        return new Request(preset, seeds, firstSeed, validation, epochs, batch, maxRate, arch, images, smoothing);

        static bool Set<T>(ref T? field, T value) where T : struct { field = value; return true; }
        static bool Unknown(string key, out string? message) { message = $"unknown option '{key}' for --records"; return false; }
        static bool Whole(string text, int least, out int value) =>
            int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= least;
        static bool Fraction(string text, out double value) =>
            double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && value >= 0 && value < 1;
    }

    /// <summary>How many networks the preset trains (more than one: a soft-voting ensemble).</summary>
    internal static int Members(string preset) => TrainingPresets.Records.First(p => p.Name == preset).Members;

    /// <summary>The preset with the request's overrides (recipe search only; the records themselves run presets as they are).
    /// An ensemble's first member gets seed (seed − 1) × members + 1 and the others the seeds after it, so the runs of
    /// different seeds share no member.</summary>
    internal static CnnTrainer.Options Recipe(Request request, int seed)
    {
        var preset = TrainingPresets.Records.First(p => p.Name == request.Preset).Options;
        return preset with
        {
            Seed = (seed - 1) * Members(request.Preset) + 1,
            ValidationFraction = request.Validation,
            Epochs = request.Epochs ?? preset.Epochs,
            BatchSize = request.BatchSize ?? preset.BatchSize,
            Schedule = request.MaxRate is double r && preset.Schedule is OneCycleLR one ? one with { MaxRate = r } : preset.Schedule,
            Architecture = request.Architecture is { } a ? CnnArchitectures.All[a] : preset.Architecture,
            LabelSmoothing = request.LabelSmoothing ?? preset.LabelSmoothing,
        };
    }

    /// <summary>Trains the request's preset once per seed and prints
    /// <c>record=… seed=… fit_s=… train_s=… accuracy=… on=test|validation</c> per seed, the summed phases of each run's
    /// epochs, and <c>records=… seeds=… fit_s_mean=… accuracy_mean=… accuracy_min=… accuracy_max=…</c>.</summary>
    internal static int Run(Request request, string folder, int threads)
    {
        var ml = new MLContext(seed: 1);
        // In memory before any clock starts: the rows as .NET objects, viewed by ML.NET without copying them again.
        var trainRows = Rows(ml, folder, "train", request.Images);
        var train = ml.Data.LoadFromEnumerable(trainRows);
        var test = request.Validation > 0 ? null : ml.Data.LoadFromEnumerable(Rows(ml, folder, "t10k", 0));
        var fits = new List<double>();
        var accuracies = new List<double>();
        for (int seed = request.FirstSeed; seed < request.FirstSeed + request.Seeds; seed++)
        {
            // The trainer's log line comes when the data is read and the first epoch's report when it ends, so the clock
            // at those two moments splits Fit into reading, training and exporting.
            // An ensemble's members each read the data: the first read and the last member's last epoch bound its training.
            double readAt = double.NaN, trainedAt = double.NaN;
            Stopwatch? clock = null;
            var options = Recipe(request, seed) with
            {
                Log = line => { if (line.StartsWith("Training ", StringComparison.Ordinal) && double.IsNaN(readAt)) readAt = clock!.Elapsed.TotalSeconds; },
                Progress = new Synchronous<EpochProgress>(_ => trainedAt = clock!.Elapsed.TotalSeconds),
            };
            int members = Members(request.Preset);
            IEstimator<DigitsModel> trainer = members == 1
                ? ml.MulticlassClassification.Trainers.Cnn(options)
                : ml.MulticlassClassification.Trainers.VotingEnsemble(options, members);
            var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
                .Append(trainer);
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            clock = Stopwatch.StartNew();
            using var model = pipeline.Fit(train);
            double fitSeconds = clock.Elapsed.TotalSeconds;
            // CPU seconds of the whole process during Fit: on a shared machine, with --threads 1, close to what the fit
            // takes on an idle core however long the wait for the core was.
            double cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            var history = model.LastTransformer.Networks.SelectMany(n => n.History).ToList();
            double accuracy = test is null
                ? history[^1].ValidationAccuracy ?? double.NaN
                : ml.MulticlassClassification.Evaluate(model.Transform(test)).MicroAccuracy;
            fits.Add(fitSeconds);
            accuracies.Add(accuracy);
            var phases = Sum(history.Select(h => h.Phases).OfType<TrainingPhases>().ToList());
            Console.WriteLine($"record={request.Preset} arch={options.Architecture.Name} seed={seed} members={members} epochs={history.Count} threads={threads} " +
                $"fit_s={fitSeconds:F2} cpu_s={cpuSeconds:F2} train_s={history.Sum(h => h.Seconds):F2} s_per_epoch={history.Average(h => h.Seconds):F2} " +
                $"read_s={readAt:F2} export_s={fitSeconds - trainedAt:F2} accuracy={accuracy:F4} on={(test is null ? "validation" : "test")}");
            Console.WriteLine($"  phases (all epochs): {phases}");
        }
        Console.WriteLine($"records={request.Preset} seeds={request.Seeds} threads={threads} fit_s_mean={fits.Average():F2} " +
            $"fit_s_max={fits.Max():F2} accuracy_mean={accuracies.Average():F4} accuracy_min={accuracies.Min():F4} " +
            $"accuracy_max={accuracies.Max():F4} on={(test is null ? "validation" : "test")}");
        return 0;
    }

    /// <summary>An <see cref="IProgress{T}"/> that runs its handler on the reporting thread (Progress&lt;T&gt; posts it).</summary>
    private sealed class Synchronous<T>(Action<T> handler) : IProgress<T>
    {
        public void Report(T value) => handler(value);
    }

    private static List<DigitInput> Rows(MLContext ml, string folder, string prefix, int take)
    {
        var view = ml.Data.LoadFromIdx(Path.Combine(folder, $"{prefix}-images-idx3-ubyte"), Path.Combine(folder, $"{prefix}-labels-idx1-ubyte"));
        if (take > 0)
            view = ml.Data.TakeRows(view, take);
        return ml.Data.CreateEnumerable<DigitInput>(view, reuseRowObject: false).ToList();
    }

    private static TrainingPhases Sum(IReadOnlyList<TrainingPhases> all) => new(all.Sum(p => p.Data), all.Sum(p => p.Augmentation),
        all.Sum(p => p.Forward), all.Sum(p => p.Backward), all.Sum(p => p.Optimizer), all.Sum(p => p.Bookkeeping),
        all.Sum(p => p.Averaging), all.Sum(p => p.Evaluation));
}
