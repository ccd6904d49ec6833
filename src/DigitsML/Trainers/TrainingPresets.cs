// TrainingPresets.cs — the speed-record recipes of issue 13, each a readable CnnTrainer.Options with what it measured.
using DigitsML.Engine;

namespace DigitsML.Trainers;

/// <summary>Ready recipes that reach a test accuracy within a training-time budget on a 2-core CPU (issue 13). Every
/// choice was made on a validation split of the training images, never on the test set. Derive variants with
/// <c>with</c>, e.g. <c>TrainingPresets.Record99In15Seconds with { Seed = 7 }</c>.</summary>
public static class TrainingPresets
{
    /// <summary>99 % in 15 seconds: PLACEHOLDER.</summary>
    public static CnnTrainer.Options Record99In15Seconds { get; } = new()
    {
        Architecture = CnnArchitectures.QuickNet,
        Epochs = 1,
        BatchSize = 128,
        Optimizer = new AdamOptimizer(),
        Schedule = new OneCycleLR(0.008),
        LabelSmoothing = 0.1,
        Seed = 1,
    };

    /// <summary>99.5 % in 5 minutes: PLACEHOLDER.</summary>
    public static CnnTrainer.Options Record995In5Minutes { get; } = new()
    {
        Architecture = CnnArchitectures.QuickNet,
        Epochs = 15,
        BatchSize = 128,
        Optimizer = new AdamOptimizer(),
        Schedule = new OneCycleLR(0.008),
        LabelSmoothing = 0.1,
        Augmentation = new ImageAugmentation { MaxRotationDegrees = 10, MaxTranslation = 0.1 },
        AverageWeights = true,
        Seed = 1,
    };

    /// <summary>99.65 % in an hour: PLACEHOLDER.</summary>
    public static CnnTrainer.Options Record9965In1Hour { get; } = CnnTrainer.Options.AnEtAl with { Epochs = 12, Seed = 1 };

    /// <summary>The presets by name, as <c>digits train --preset</c> and <c>build/bench.sh records</c> call them.</summary>
    public static IReadOnlyList<(string Name, CnnTrainer.Options Options)> All { get; } =
    [
        ("record-15s", Record99In15Seconds),
        ("record-5min", Record995In5Minutes),
        ("record-1h", Record9965In1Hour),
    ];
}
