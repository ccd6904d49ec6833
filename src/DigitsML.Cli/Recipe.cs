// Recipe.cs — a resolved training recipe (the preset and every flag applied): its header lines and its JSON form.
using System.Globalization;
using DigitsML.Engine;
using DigitsML.Trainers;

namespace DigitsML.Cli;

/// <param name="Members">Networks trained with <paramref name="Options"/> (seeds Seed, Seed + 1, ...); more than 1 makes a
/// soft-voting ensemble of them.</param>
internal sealed record Recipe(string Preset, CnnTrainer.Options Options, int Members = 1)
{
    /// <summary>The recipe as `digits train --json` prints it; optimizer and schedule carry a "kind"; Augmentation has
    /// every option of <see cref="ImageAugmentation"/> (MaxRotationDegrees and MaxTranslation stay at the top level as
    /// the first edition printed them).</summary>
    public sealed record Json(string Preset, string Architecture, int Epochs, int BatchSize, OptimizerSettings Optimizer,
        LearningRateSchedule Schedule, double LabelSmoothing, int Seed, double MaxRotationDegrees, double MaxTranslation,
        ImageAugmentation Augmentation, bool AverageWeights, double WeightAverageDecay, double ValidationFraction, int EarlyStoppingPatience, bool SelectBestEpoch,
        int Members);

    public Json ToJson() => new(Preset, Options.Architecture.Name, Options.Epochs, Options.BatchSize, Options.Optimizer, Options.Schedule,
        Options.LabelSmoothing, Options.Seed, Options.Augmentation.MaxRotationDegrees, Options.Augmentation.MaxTranslation,
        Options.Augmentation, Options.AverageWeights, Options.WeightAverageDecay, Options.ValidationFraction, Options.EarlyStoppingPatience, Options.SelectBestEpoch,
        Members);

    /// <summary>The two lines `digits train` prints before training: every setting that shapes the result.</summary>
    public IEnumerable<string> Describe()
    {
        var o = Options;
        yield return $"recipe ({Preset} preset): {o.Architecture.Name}, {Count(o.Epochs, "epoch")}, batch {o.BatchSize}, {Describe(o.Optimizer)}, " +
                     $"{Describe(o.Schedule)}, label smoothing {N(o.LabelSmoothing)}, seed {o.Seed}";
        string augmentation = o.Augmentation.IsActive ? Describe(o.Augmentation) : "none";
        yield return $"  augmentation {augmentation}; weight average {(o.AverageWeights ? $"on, decay {N(o.WeightAverageDecay)}" : "off")}; " +
                     $"validation {DescribeValidation(o)}";
        if (Members > 1)
            yield return $"  {Members} networks, seeds {o.Seed}–{o.Seed + Members - 1}, one after another; saved as their soft-voting ensemble";
    }

    /// <summary>A preset in one phrase, for --help.</summary>
    public static string Summary(CnnTrainer.Options o) =>
        $"{o.Architecture.Name}, {Describe(o.Optimizer)}, {Describe(o.Schedule)}, batch {o.BatchSize}, {Count(o.Epochs, "epoch")}" +
        (o.Augmentation.IsActive ? $", {Describe(o.Augmentation)}" : "") +
        (o.AverageWeights ? $", weight average {N(o.WeightAverageDecay)}" : "");

    private static string Describe(ImageAugmentation a) => a.Summary();

    /// <summary>The --optimizer name of <paramref name="optimizer"/>.</summary>
    public static string Name(OptimizerSettings optimizer) => optimizer switch
    {
        SgdOptimizer => "sgd",
        AdamOptimizer => "adam",
        AdamWOptimizer => "adamw",
        AdadeltaOptimizer => "adadelta",
        _ => optimizer.GetType().Name,
    };

    /// <summary>The --schedule name of <paramref name="schedule"/>.</summary>
    public static string Name(LearningRateSchedule schedule) => schedule switch
    {
        ConstantLR => "constant",
        StepLR => "step",
        ExponentialLR => "exponential",
        OneCycleLR => "onecycle",
        _ => schedule.GetType().Name,
    };

    private static string Describe(OptimizerSettings optimizer) =>
        (optimizer is SgdOptimizer sgd
            ? $"sgd lr {N(sgd.LearningRate)} momentum {N(sgd.Momentum)}{(sgd.Nesterov ? " nesterov" : "")}"
            : $"{Name(optimizer)} lr {N(optimizer.LearningRate)}")
        + (optimizer.WeightDecay > 0 ? $" weight decay {N(optimizer.WeightDecay)}" : "");

    private static string Describe(LearningRateSchedule schedule) => schedule switch
    {
        ConstantLR => "constant rate",
        StepLR s => $"step schedule ×{N(s.Gamma)} every {(s.StepSize == 1 ? "epoch" : Count(s.StepSize, "epoch"))}",
        ExponentialLR e => $"exponential schedule ×{N(e.Gamma)} per epoch",
        OneCycleLR c => $"one-cycle schedule peaking at {N(c.MaxRate)}",
        _ => schedule.ToString(),
    };

    private static string DescribeValidation(CnnTrainer.Options o)
    {
        if (o.ValidationFraction == 0)
            return "none";
        string stop = o.EarlyStoppingPatience > 0 ? $"stop after {Count(o.EarlyStoppingPatience, "epoch")} without a better accuracy" : "no early stopping";
        return $"{N(o.ValidationFraction * 100)} % of the training images held out, {stop}, {(o.SelectBestEpoch ? "best" : "last")} epoch kept";
    }

    private static string N(double value) => value.ToString("G4", CultureInfo.InvariantCulture);

    private static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";
}
