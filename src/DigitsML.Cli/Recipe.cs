// Recipe.cs — a resolved training recipe (the preset and every flag applied): the lines `digits train` prints before
// training, and the names of optimizers and schedules as the flags spell them.
using DigitsML.Engine;
using DigitsML.Networks;
using DigitsML.Trainers;

namespace DigitsML.Cli;

/// <param name="Members">Networks trained with <paramref name="Options"/> (seeds Seed, Seed + 1, ...); more than 1 makes a
/// soft-voting ensemble of them.</param>
internal sealed record Recipe(string Preset, CnnTrainer.Options Options, int Members = 1)
{
    /// <summary>The lines `digits train` prints before training: the recipe's one-line description (every setting that
    /// shapes the result) and, for an ensemble, its members.</summary>
    public IEnumerable<string> Describe()
    {
        yield return $"recipe ({Preset} preset): {Options.Describe()}";
        if (Members > 1)
            yield return $"  {Members} networks, seeds {Options.Seed}–{Options.Seed + Members - 1}, one after another; saved as their soft-voting ensemble";
    }

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
}
