// OptimizerSettings.cs — the optimizers a network can be trained with, each with PyTorch's defaults.
using System.Text.Json.Serialization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DigitsML.Networks;

/// <summary>An optimizer and its hyper-parameters. Pick one of <see cref="SgdOptimizer"/>, <see cref="AdamOptimizer"/>,
/// <see cref="AdamWOptimizer"/> or <see cref="AdadeltaOptimizer"/>.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(SgdOptimizer), "Sgd")]
[JsonDerivedType(typeof(AdamOptimizer), "Adam")]
[JsonDerivedType(typeof(AdamWOptimizer), "AdamW")]
[JsonDerivedType(typeof(AdadeltaOptimizer), "Adadelta")]
public abstract record OptimizerSettings
{
    /// <summary>The base learning rate a schedule starts from.</summary>
    public abstract double LearningRate { get; init; }

    /// <summary>L2 penalty (decoupled for AdamW); default 0 except AdamW's 0.01.</summary>
    public double WeightDecay { get; init; }

    /// <summary>libtorch's optimizer (TorchSharp's port of PyTorch's) over <paramref name="parameters"/>.</summary>
    internal abstract OptimizerHelper Create(IEnumerable<Parameter> parameters);

    /// <summary>Sets the learning rate of every parameter group, as a schedule does before each step.</summary>
    internal static void SetLearningRate(optim.Optimizer optimizer, double rate)
    {
        foreach (var group in optimizer.ParamGroups)
            group.LearningRate = rate;
    }

    internal void Validate()
    {
        if (!(LearningRate >= 0) || !double.IsFinite(LearningRate))
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "The learning rate must be finite and not negative.");
        if (!(WeightDecay >= 0))
            throw new ArgumentOutOfRangeException(nameof(WeightDecay), WeightDecay, "Weight decay must not be negative.");
    }
}

/// <summary>Stochastic gradient descent with optional momentum and Nesterov momentum.</summary>
public sealed record SgdOptimizer : OptimizerSettings
{
    /// <summary>Default 0.01.</summary>
    public override double LearningRate { get; init; } = 0.01;

    /// <summary>Default 0 (plain SGD).</summary>
    public double Momentum { get; init; }

    /// <summary>Default false; needs a positive momentum.</summary>
    public bool Nesterov { get; init; }

    internal override OptimizerHelper Create(IEnumerable<Parameter> parameters)
    {
        if (Nesterov && Momentum <= 0)
            throw new ArgumentException("Nesterov momentum needs a positive Momentum.", nameof(Nesterov));
        return optim.SGD(parameters, LearningRate, Momentum, weight_decay: WeightDecay, nesterov: Nesterov);
    }
}

/// <summary>Adam (Kingma and Ba), with the L2 penalty added to the gradient.</summary>
public sealed record AdamOptimizer : OptimizerSettings
{
    /// <summary>Default 0.001.</summary>
    public override double LearningRate { get; init; } = 0.001;

    /// <summary>Default 0.9.</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>Default 0.999.</summary>
    public double Beta2 { get; init; } = 0.999;

    /// <summary>Default 1e-8.</summary>
    public double Epsilon { get; init; } = 1e-8;

    internal override OptimizerHelper Create(IEnumerable<Parameter> parameters) =>
        optim.Adam(parameters, LearningRate, Beta1, Beta2, Epsilon, WeightDecay);
}

/// <summary>AdamW (Loshchilov and Hutter): Adam with decoupled weight decay.</summary>
public sealed record AdamWOptimizer : OptimizerSettings
{
    /// <summary>Creates AdamW with PyTorch's default weight decay of 0.01.</summary>
    public AdamWOptimizer() => WeightDecay = 0.01;

    /// <summary>Default 0.001.</summary>
    public override double LearningRate { get; init; } = 0.001;

    /// <summary>Default 0.9.</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>Default 0.999.</summary>
    public double Beta2 { get; init; } = 0.999;

    /// <summary>Default 1e-8.</summary>
    public double Epsilon { get; init; } = 1e-8;

    internal override OptimizerHelper Create(IEnumerable<Parameter> parameters) =>
        optim.AdamW(parameters, LearningRate, Beta1, Beta2, Epsilon, WeightDecay);
}

/// <summary>Adadelta (Zeiler), as PyTorch's example MNIST script trains with it.</summary>
public sealed record AdadeltaOptimizer : OptimizerSettings
{
    /// <summary>Default 1.0.</summary>
    public override double LearningRate { get; init; } = 1.0;

    /// <summary>Decay of the running averages; default 0.9.</summary>
    public double Rho { get; init; } = 0.9;

    /// <summary>Default 1e-6.</summary>
    public double Epsilon { get; init; } = 1e-6;

    internal override OptimizerHelper Create(IEnumerable<Parameter> parameters) =>
        optim.Adadelta(parameters, LearningRate, Rho, Epsilon, WeightDecay);
}
