// TrainingOptions.cs — every setting of a training run, each with its default stated once here.
namespace DigitsML.Engine;

/// <summary>How a network is trained. Defaults follow PyTorch's MNIST example: 10 epochs of batch 64,
/// Adadelta at 1.0 with StepLR γ = 0.7, shuffled every epoch.</summary>
public sealed record TrainingOptions
{
    /// <summary>Passes over the training data; default 10.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Examples per training step; default 64.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>The optimizer; default <see cref="AdadeltaOptimizer"/> with learning rate 1.0.</summary>
    public OptimizerSettings Optimizer { get; init; } = new AdadeltaOptimizer();

    /// <summary>The learning-rate schedule; default <see cref="StepLR"/>(1, 0.7).</summary>
    public LearningRateSchedule Schedule { get; init; } = new StepLR(1, 0.7);

    /// <summary>Label smoothing of the cross-entropy loss, in [0, 1); default 0.</summary>
    public double LabelSmoothing { get; init; }

    /// <summary>Fixes the shuffling order; the initial weights and the dropout masks come from the seed given to
    /// <see cref="Network.Create"/>. With both seeds equal, two CPU runs with the same thread count give identical
    /// weights. Default 0.</summary>
    public int Seed { get; init; }

    /// <summary>Reshuffles the training data every epoch, on every device; default true.</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>Random rotation and shift of each training image, drawn anew every epoch from the seed; validation and test
    /// images are never augmented. Default <see cref="ImageAugmentation.None"/>.</summary>
    public ImageAugmentation Augmentation { get; init; } = ImageAugmentation.None;

    /// <summary>Keeps an exponential moving average of the weights (see <see cref="WeightAverageDecay"/>), evaluates the
    /// validation set with it and leaves it in the network at the end, so it is what gets saved. Default false.</summary>
    public bool AverageWeights { get; init; }

    /// <summary>Decay of the weight average, in (0, 1), with the usual warm-up min(decay, (1 + t) / (10 + t)) at step t;
    /// default 0.999. Used only with <see cref="AverageWeights"/>.</summary>
    public double WeightAverageDecay { get; init; } = 0.999;

    /// <summary>Stops after this many epochs without a better validation accuracy; default 0, never. Needs a validation
    /// set, which only ever comes from the training data.</summary>
    public int EarlyStoppingPatience { get; init; }

    /// <summary>Ends with the weights of the epoch with the best validation accuracy (ties go to the lower validation
    /// loss) instead of the last epoch's; default false. Needs a validation set.</summary>
    public bool SelectBestEpoch { get; init; }

    /// <summary>Examples per evaluation call (no gradients are kept, so it can be large); default 1000.</summary>
    public int EvaluationBatchSize { get; init; } = 1000;

    /// <summary>Where a checkpoint is written after every epoch: the network, the optimizer state, the epoch, the dropout
    /// stream position and the history, written atomically (temporary file, flush, rename), so a run killed at any moment
    /// leaves the last complete checkpoint. Default null: no checkpoints.</summary>
    public string? CheckpointPath { get; init; }

    /// <summary>Starts from the checkpoint at <see cref="CheckpointPath"/> instead of epoch 1: the run continues after
    /// the checkpoint's last epoch and, on the CPU, ends with weights bit-identical to an uninterrupted run. The other
    /// settings and the network must be those the checkpoint was written with. Default false.</summary>
    public bool ResumeFromCheckpoint { get; init; }

    /// <exception cref="ArgumentOutOfRangeException">A setting is outside its range; the message names it.</exception>
    /// <exception cref="ArgumentException">Resuming is asked without a checkpoint path.</exception>
    internal void Validate()
    {
        if (ResumeFromCheckpoint && string.IsNullOrWhiteSpace(CheckpointPath))
            throw new ArgumentException($"{nameof(ResumeFromCheckpoint)} needs a {nameof(CheckpointPath)}.", nameof(CheckpointPath));
        ArgumentOutOfRangeException.ThrowIfLessThan(Epochs, 1, nameof(Epochs));
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1, nameof(BatchSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(EvaluationBatchSize, 1, nameof(EvaluationBatchSize));
        ArgumentNullException.ThrowIfNull(Optimizer, nameof(Optimizer));
        ArgumentNullException.ThrowIfNull(Schedule, nameof(Schedule));
        if (!(LabelSmoothing >= 0 && LabelSmoothing < 1))
            throw new ArgumentOutOfRangeException(nameof(LabelSmoothing), LabelSmoothing, "Label smoothing must be in [0, 1).");
        ArgumentNullException.ThrowIfNull(Augmentation, nameof(Augmentation));
        Augmentation.Validate();
        if (!(WeightAverageDecay > 0 && WeightAverageDecay < 1))
            throw new ArgumentOutOfRangeException(nameof(WeightAverageDecay), WeightAverageDecay, "The weight average decay must be in (0, 1).");
        ArgumentOutOfRangeException.ThrowIfNegative(EarlyStoppingPatience, nameof(EarlyStoppingPatience));
        Optimizer.Validate();
    }

    /// <summary>Whether the run needs a validation set (early stopping or best-epoch selection).</summary>
    internal bool NeedsValidation => EarlyStoppingPatience > 0 || SelectBestEpoch;
}
