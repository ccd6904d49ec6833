// Presets.cs — the --help formatting of the named recipes in TrainingPresets.ByName (the presets themselves live there).
using DigitsML.Engine;
using DigitsML.Networks;
using DigitsML.Trainers;

namespace DigitsML.Cli;

internal static class Presets
{
    /// <summary>Peak rate of the one-cycle schedule where `--schedule onecycle` is given to a preset with another
    /// schedule and no --max-lr: the default preset's.</summary>
    public static double DefaultMaxRate => ((OneCycleLR)TrainingPresets.Robust.Schedule).MaxRate;

    /// <summary>"name (description)" for every preset, for --preset's help.</summary>
    public static string List() => string.Join("; ", TrainingPresets.ByName.Select(p => $"{p.Name} ({p.Description})"));

    /// <summary>"(default: X)", or "(default: X; an-et-al: Y)" where a preset differs, for --help texts.</summary>
    public static string Defaults(Func<CnnTrainer.Options, string> show)
    {
        var all = TrainingPresets.ByName;
        string first = show(all[0].Options);
        var others = all.Skip(1).Select(p => (p.Name, Value: show(p.Options))).Where(p => p.Value != first).Select(p => $"{p.Name}: {p.Value}");
        return $"(default: {string.Join("; ", others.Prepend(first))})";
    }
}
