// LearningRateSchedule.cs — learning-rate schedules with PyTorch's definitions.
using System.Text.Json.Serialization;

namespace DigitsML.Networks;

/// <summary>How the learning rate moves during training. <see cref="StepLR"/> and <see cref="ExponentialLR"/>
/// change it per epoch, <see cref="OneCycleLR"/> per batch.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(ConstantLR), "Constant")]
[JsonDerivedType(typeof(StepLR), "Step")]
[JsonDerivedType(typeof(ExponentialLR), "Exponential")]
[JsonDerivedType(typeof(OneCycleLR), "OneCycle")]
public abstract record LearningRateSchedule
{
    /// <summary>The learning rate for a batch.</summary>
    /// <param name="baseRate">The optimizer's learning rate.</param>
    /// <param name="epoch">0-based epoch.</param>
    /// <param name="step">0-based batch within the epoch.</param>
    /// <param name="stepsPerEpoch">Batches per epoch.</param>
    /// <param name="epochs">Epochs in the run.</param>
    public abstract double RateAt(double baseRate, int epoch, int step, int stepsPerEpoch, int epochs);
}

/// <summary>The learning rate stays at the optimizer's.</summary>
public sealed record ConstantLR : LearningRateSchedule
{
    /// <inheritdoc />
    public override double RateAt(double baseRate, int epoch, int step, int stepsPerEpoch, int epochs) => baseRate;
}

/// <summary>Multiplies the rate by <paramref name="Gamma"/> every <paramref name="StepSize"/> epochs
/// (PyTorch's StepLR stepped once per epoch).</summary>
public sealed record StepLR(int StepSize = 1, double Gamma = 0.7) : LearningRateSchedule
{
    /// <inheritdoc />
    public override double RateAt(double baseRate, int epoch, int step, int stepsPerEpoch, int epochs) =>
        baseRate * Math.Pow(Gamma, epoch / Math.Max(1, StepSize));
}

/// <summary>Multiplies the rate by <paramref name="Gamma"/> every epoch.</summary>
public sealed record ExponentialLR(double Gamma = 0.98) : LearningRateSchedule
{
    /// <inheritdoc />
    public override double RateAt(double baseRate, int epoch, int step, int stepsPerEpoch, int epochs) =>
        baseRate * Math.Pow(Gamma, epoch);
}

/// <summary>The one-cycle policy (Smith), as PyTorch's OneCycleLR with cosine annealing, stepped per batch:
/// from max/<paramref name="DivFactor"/> up to <paramref name="MaxRate"/> over the first
/// <paramref name="PctStart"/> of the steps, then down to max/(DivFactor·<paramref name="FinalDivFactor"/>).
/// Momentum is not cycled. The optimizer's own learning rate is ignored.</summary>
public sealed record OneCycleLR(double MaxRate, double PctStart = 0.3, double DivFactor = 25, double FinalDivFactor = 1e4)
    : LearningRateSchedule
{
    /// <inheritdoc />
    public override double RateAt(double baseRate, int epoch, int step, int stepsPerEpoch, int epochs)
    {
        double initial = MaxRate / DivFactor, final = initial / FinalDivFactor;
        double total = (double)stepsPerEpoch * epochs;
        double t = (double)epoch * stepsPerEpoch + step;
        double peak = PctStart * total - 1, end = total - 1;
        if (t <= peak)
            return Anneal(initial, MaxRate, peak <= 0 ? 1 : t / peak);
        return Anneal(MaxRate, final, end <= peak ? 1 : (t - peak) / (end - peak));
    }

    private static double Anneal(double start, double end, double pct) => end + (start - end) / 2 * (1 + Math.Cos(Math.PI * pct));
}
