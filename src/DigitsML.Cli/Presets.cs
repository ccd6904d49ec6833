// Presets.cs — the named training recipes `digits train --preset` starts from; `default` is build/run.sh's.
using DigitsML.Engine;
using DigitsML.Trainers;

namespace DigitsML.Cli;

internal static class Presets
{
    public const string DefaultName = "default";

    /// <summary>Peak rate of the default recipe's one-cycle schedule.</summary>
    public const double DefaultMaxRate = 0.005;

    /// <summary>DigitNet, Adam with a one-cycle schedule peaking at 0.005, batch 128, 4 epochs, seed 1: 99.19 % on the MNIST
    /// test set (README has the timings).</summary>
    public static CnnTrainer.Options Default { get; } = new()
    {
        Architecture = CnnArchitectures.DigitNet,
        Epochs = 4,
        BatchSize = 128,
        Optimizer = new AdamOptimizer(),
        Schedule = new OneCycleLR(DefaultMaxRate),
        Seed = 1,
    };

    /// <summary>Issue 12's robust model: <see cref="TrainingPresets.Record995In5Minutes"/>'s network and schedule
    /// (QuickNet, 15 epochs of batch 128, Adam one-cycle peaking at 0.008, label smoothing 0.1, weight average 0.999) with
    /// <see cref="ImageAugmentation.Robust"/>. Measured on an idle machine (2026-11-28, seed 1, 2 threads: `digits train
    /// --preset robust`, training 163.4 s; `build/bench.sh robust`): 99.33 % on the MNIST test set, mean of the 15
    /// corruptions 97.56 % (zigzag 82.94 %, thin 95.22 %, every other one 98.26-99.43 %), other writers 96.53 % — issue
    /// 12's three goals (99.3, 96, 96 %) met for seed 1; seeds 2 and 3 give 99.26/97.63/96.08 and 99.26/97.47/95.85 %
    /// (mean of the three: 99.28, 97.55, 96.15 %). DigitNet for 8 epochs with the same augmentation under-fitted it:
    /// 98.57, 95.63 and 93.25 %. Not yet the default (README, docs/robustness.md).</summary>
    public static CnnTrainer.Options Robust { get; } = TrainingPresets.Record995In5Minutes with { Augmentation = ImageAugmentation.Robust };

    /// <summary>Every preset by name, the default first, then the robust one, An et al.'s and the speed records of
    /// <see cref="TrainingPresets"/> (record-15s, record-5min, record-1h).</summary>
    public static IReadOnlyList<(string Name, CnnTrainer.Options Options)> All { get; } =
    [
        (DefaultName, Default),
        ("robust", Robust),
        ("an-et-al", CnnTrainer.Options.AnEtAl with { Seed = 1 }),
        .. TrainingPresets.All,
    ];

    /// <exception cref="ArgumentException">No preset has that name; the message lists them.</exception>
    public static CnnTrainer.Options Find(string name) =>
        All.FirstOrDefault(p => p.Name == name).Options
        ?? throw new ArgumentException($"unknown preset '{name}'; choose {string.Join(", ", All.Select(p => p.Name))}");

    /// <summary>"(default: X)", or "(default: X; an-et-al: Y)" where a preset differs, for --help texts.</summary>
    public static string Defaults(Func<CnnTrainer.Options, string> show)
    {
        string first = show(All[0].Options);
        var others = All.Skip(1).Select(p => (p.Name, Value: show(p.Options))).Where(p => p.Value != first).Select(p => $"{p.Name}: {p.Value}");
        return $"(default: {string.Join("; ", others.Prepend(first))})";
    }
}
