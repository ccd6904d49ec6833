// Presets.cs — the named training recipes `digits train --preset` starts from; `default` is build/run.sh's.
using DigitsML.Engine;
using DigitsML.Trainers;

namespace DigitsML.Cli;

internal static class Presets
{
    public const string DefaultName = "default";

    /// <summary>Peak rate of the one-cycle schedule where `--schedule onecycle` is given to a preset with another
    /// schedule and no --max-lr: the default preset's.</summary>
    public static double DefaultMaxRate => ((OneCycleLR)Default.Schedule).MaxRate;

    /// <summary>The robust model, <see cref="TrainingPresets.Robust"/> (QuickNet, 30 epochs, augmented for shifted, rotated,
    /// noisy, faint and photographed digits): what build/run.sh trains.</summary>
    public static CnnTrainer.Options Default => TrainingPresets.Robust;

    /// <summary>The first default, for a quick model of clean, centred digits: DigitNet, Adam with a one-cycle schedule
    /// peaking at 0.005, batch 128, 4 epochs, no augmentation, seed 1: 99.19 % on the MNIST test set in 92 s of training
    /// (README), but 82.11 % over the robustness benchmark's corruptions and 52.42 % on digits shifted by 3–5 pixels.</summary>
    public static CnnTrainer.Options DigitNet { get; } = new()
    {
        Architecture = CnnArchitectures.DigitNet,
        Epochs = 4,
        BatchSize = 128,
        Optimizer = new AdamOptimizer(),
        Schedule = new OneCycleLR(0.005),
        Seed = 1,
    };

    /// <summary>Every preset by name, the default (robust) first, then the first default (DigitNet), An et al.'s and the
    /// speed records of <see cref="TrainingPresets"/> (record-15s, record-5min, record-1h).</summary>
    public static IReadOnlyList<(string Name, CnnTrainer.Options Options)> All { get; } =
    [
        (DefaultName, Default),
        ("digitnet", DigitNet),
        ("an-et-al", CnnTrainer.Options.AnEtAl with { Seed = 1 }),
        .. TrainingPresets.Records.Select(r => (r.Name, r.Options)),
    ];

    /// <summary>How many networks the preset trains: more than one for an ensemble preset (record-1h), else 1.</summary>
    public static int Members(string name) => TrainingPresets.Records.FirstOrDefault(r => r.Name == name).Members is > 1 and var n ? n : 1;

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
