// BatchProgress.cs — where a training run stands after one batch, for progress bars.
namespace DigitsML.Networks;

/// <summary>The running figures of the epoch in progress, reported after every training batch.</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Epochs">Epochs in the run.</param>
/// <param name="Batch">1-based batch within the epoch.</param>
/// <param name="Batches">Batches per epoch.</param>
/// <param name="Loss">Mean cross-entropy of the epoch's batches so far, as trained.</param>
/// <param name="Accuracy">Fraction of the epoch's training examples so far predicted right while training.</param>
/// <param name="Images">Training examples of the epoch so far.</param>
/// <param name="Seconds">Wall time of the epoch so far.</param>
public sealed record BatchProgress(int Epoch, int Epochs, int Batch, int Batches, double Loss, double Accuracy, long Images,
    double Seconds)
{
    /// <summary>Training examples per second in this epoch so far (0 before any time has passed).</summary>
    public double ImagesPerSecond => Seconds > 0 ? Images / Seconds : 0;
}
