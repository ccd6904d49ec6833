// RecipeText.cs — the phrases of a recipe's one-line description: optimizer, schedule, numbers and counts.
using System.Globalization;
using DigitsML.Engine;
using DigitsML.Networks;

namespace DigitsML.Trainers;

/// <summary>Phrases for <see cref="CnnTrainer.Options.Describe"/>; names are those of <c>digits train --optimizer</c> and
/// <c>--schedule</c> (the JSON "kind" in lower case).</summary>
internal static class RecipeText
{
    /// <summary>e.g. "adam lr 0.001", "sgd lr 0.01 momentum 0.9 nesterov", with " weight decay W" when W &gt; 0.</summary>
    public static string Describe(OptimizerSettings optimizer) =>
        (optimizer is SgdOptimizer sgd
            ? $"sgd lr {Number(sgd.LearningRate)} momentum {Number(sgd.Momentum)}{(sgd.Nesterov ? " nesterov" : "")}"
            : $"{Name(optimizer)} lr {Number(optimizer.LearningRate)}")
        + (optimizer.WeightDecay > 0 ? $" weight decay {Number(optimizer.WeightDecay)}" : "");

    /// <summary>e.g. "step schedule ×0.7 every epoch", "one-cycle schedule peaking at 0.008".</summary>
    public static string Describe(LearningRateSchedule schedule) => schedule switch
    {
        ConstantLR => "constant rate",
        StepLR s => $"step schedule ×{Number(s.Gamma)} every {(s.StepSize == 1 ? "epoch" : Count(s.StepSize, "epoch"))}",
        ExponentialLR e => $"exponential schedule ×{Number(e.Gamma)} per epoch",
        OneCycleLR c => $"one-cycle schedule peaking at {Number(c.MaxRate)}",
        _ => schedule.ToString(),
    };

    /// <summary>"sgd", "adam", "adamw" or "adadelta": the type's name without "Optimizer", in lower case.</summary>
    public static string Name(OptimizerSettings optimizer) =>
        optimizer.GetType().Name.Replace("Optimizer", "", StringComparison.Ordinal).ToLowerInvariant();

    /// <summary>Four significant digits, invariant culture.</summary>
    public static string Number(double value) => value.ToString("G4", CultureInfo.InvariantCulture);

    /// <summary>"1 epoch", "3 epochs".</summary>
    public static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";
}
