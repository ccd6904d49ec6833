// TrainingPhases.cs — where an epoch's wall time went, phase by phase, measured on the training thread.
namespace DigitsML.Networks;

/// <summary>Seconds one epoch spent in each phase of its steps, read with the host's clock around each call. On the CPU
/// libtorch runs every kernel before the call returns, so the phases are exact; on a GPU kernels are queued, and the time
/// shows up in whichever later phase waits for them.</summary>
/// <param name="Data">Taking the batch's rows out of the resident data (<c>index_select</c>) and setting the rate.</param>
/// <param name="Augmentation">Rotating and shifting the batch (0 without augmentation).</param>
/// <param name="Forward">The network's forward pass and the loss.</param>
/// <param name="Backward">Clearing the gradients and back-propagation.</param>
/// <param name="Optimizer">The optimizer's step.</param>
/// <param name="Bookkeeping">The running loss and accuracy, and freeing the step's tensors.</param>
/// <param name="Averaging">Updating the weight average (0 without it).</param>
/// <param name="Evaluation">Evaluating the validation set after the epoch (0 without one).</param>
public sealed record TrainingPhases(double Data, double Augmentation, double Forward, double Backward, double Optimizer,
    double Bookkeeping, double Averaging, double Evaluation)
{
    /// <summary>The sum of the phases.</summary>
    public double Total => Data + Augmentation + Forward + Backward + Optimizer + Bookkeeping + Averaging + Evaluation;

    /// <inheritdoc />
    public override string ToString() =>
        $"data {Data:F2}s  augmentation {Augmentation:F2}s  forward {Forward:F2}s  backward {Backward:F2}s  optimizer {Optimizer:F2}s  " +
        $"bookkeeping {Bookkeeping:F2}s  averaging {Averaging:F2}s  evaluation {Evaluation:F2}s";
}
