// EpochProgress.cs — what one epoch of training measured.
namespace DigitsML.Networks;

/// <summary>The figures of one finished epoch. Validation figures are null when no validation set was given.</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Epochs">Epochs in the run.</param>
/// <param name="TrainLoss">Mean cross-entropy over the epoch's batches, as trained (dropout on).</param>
/// <param name="TrainAccuracy">Fraction of training examples predicted right while training.</param>
/// <param name="ValidationLoss">Mean cross-entropy on the validation set.</param>
/// <param name="ValidationAccuracy">Fraction of the validation set predicted right.</param>
/// <param name="LearningRate">The learning rate of the epoch's last batch.</param>
/// <param name="Seconds">Wall time of the epoch, validation included.</param>
public sealed record EpochProgress(int Epoch, int Epochs, double TrainLoss, double TrainAccuracy, double? ValidationLoss,
    double? ValidationAccuracy, double LearningRate, double Seconds)
{
    /// <summary>Where <see cref="Seconds"/> went, phase by phase; null for epochs restored from a checkpoint written
    /// before phases were recorded.</summary>
    public TrainingPhases? Phases { get; init; }

    /// <inheritdoc />
    public override string ToString() =>
        $"epoch {Epoch}/{Epochs}  loss {TrainLoss:F4}  acc {TrainAccuracy:P2}" +
        (ValidationLoss is double vl ? $"  val loss {vl:F4}  val acc {ValidationAccuracy:P2}" : "") +
        $"  lr {LearningRate:G4}  {Seconds:F1}s";
}
