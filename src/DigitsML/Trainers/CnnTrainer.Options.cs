// CnnTrainer.Options.cs — every setting of the CNN trainer, each default stated here once.
using DigitsML.Engine;

namespace DigitsML.Trainers;

public sealed partial class CnnTrainer
{
    /// <summary>The CNN trainer's settings. Defaults follow PyTorch's MNIST example (the engine's
    /// <see cref="TrainingOptions"/>): 10 epochs of batch 64, Adadelta at 1.0 with StepLR γ = 0.7, reshuffled every
    /// epoch. Immutable once built (derive variants with <c>with</c>); the trainer checks it when created.</summary>
    public sealed record Options
    {
        private static readonly TrainingOptions defaults = new();

        /// <summary>The label column, a key (as <c>MapValueToKey</c> makes it); default "Label".</summary>
        public string LabelColumnName { get; init; } = "Label";

        /// <summary>The features column, a vector of <c>Single</c> with as many values as the architecture's input
        /// (784 or 1 × 28 × 28 for the built-in ones), pixels in [0, 1]; default "Features".</summary>
        public string FeatureColumnName { get; init; } = "Features";

        /// <summary>The network; default <see cref="CnnArchitectures.SeedNet"/>. When the label has a different number of
        /// classes than the network scores and the network ends in <see cref="Linear"/>, that last layer is resized.</summary>
        public NetworkDefinition Architecture { get; init; } = CnnArchitectures.SeedNet;

        /// <summary>Passes over the training data; default 10.</summary>
        public int Epochs { get; init; } = defaults.Epochs;

        /// <summary>Examples per training step; default 64.</summary>
        public int BatchSize { get; init; } = defaults.BatchSize;

        /// <summary>The optimizer; default <see cref="AdadeltaOptimizer"/> with learning rate 1.0.</summary>
        public OptimizerSettings Optimizer { get; init; } = defaults.Optimizer;

        /// <summary>The learning-rate schedule; default <see cref="StepLR"/>(1, 0.7).</summary>
        public LearningRateSchedule Schedule { get; init; } = defaults.Schedule;

        /// <summary>Label smoothing of the cross-entropy loss, in [0, 1); default 0.</summary>
        public double LabelSmoothing { get; init; } = defaults.LabelSmoothing;

        /// <summary>Fixes initial weights, shuffling, dropout and the validation split; default 0, so training is
        /// repeatable. (An ML.NET catalog does not tell its trainers the <c>MLContext</c>'s seed, so it is set here.)</summary>
        public int Seed { get; init; }

        /// <summary>The CUDA device to train on, as ML.NET's <c>MLContext.GpuDeviceId</c>; default null, the CPU. Scoring
        /// always runs the exported graph on the CPU ONNX Runtime unless the app swaps in ONNX Runtime's GPU package.</summary>
        public int? GpuDeviceId { get; init; }

        /// <summary>Trains on the CPU, with a line to <see cref="Log"/>, when <see cref="GpuDeviceId"/> cannot be used;
        /// default false, which throws <see cref="DeviceUnavailableException"/> instead.</summary>
        public bool FallbackToCpu { get; init; }

        /// <summary>Told what the trainer decides (the device, a resized last layer, the data's size), one line at a time;
        /// default null.</summary>
        public Action<string>? Log { get; init; }

        /// <summary>Fraction of the training rows held out (drawn at random with the seed) and evaluated after every
        /// epoch, never trained on; default 0, no validation. Must be in [0, 1). The test set is never used.</summary>
        public double ValidationFraction { get; init; }

        /// <summary>Random rotation and shift of each training image, drawn per image and per epoch from the seed;
        /// validation and test images are never augmented. Default <see cref="ImageAugmentation.None"/>.</summary>
        public ImageAugmentation Augmentation { get; init; } = defaults.Augmentation;

        /// <summary>Keeps an exponential moving average of the weights, evaluates validation with it and puts it in the
        /// fitted model (so it is what is saved and scored). Default false.</summary>
        public bool AverageWeights { get; init; } = defaults.AverageWeights;

        /// <summary>Decay of the weight average, in (0, 1), with the warm-up min(decay, (1 + t) / (10 + t)); default
        /// 0.999.</summary>
        public double WeightAverageDecay { get; init; } = defaults.WeightAverageDecay;

        /// <summary>Stops after this many epochs without a better validation accuracy; default 0, never. Needs
        /// <see cref="ValidationFraction"/> &gt; 0: stopping is only ever decided on rows held out of the training data.</summary>
        public int EarlyStoppingPatience { get; init; } = defaults.EarlyStoppingPatience;

        /// <summary>Keeps the weights of the epoch with the best validation accuracy instead of the last; default false.
        /// Needs <see cref="ValidationFraction"/> &gt; 0.</summary>
        public bool SelectBestEpoch { get; init; } = defaults.SelectBestEpoch;

        /// <summary>Told each epoch's figures, synchronously on the training thread; default null.</summary>
        public IProgress<EpochProgress>? Progress { get; init; }

        /// <summary>Told the running figures after every training batch (for progress bars), synchronously on the
        /// training thread; default null.</summary>
        public IProgress<BatchProgress>? BatchProgress { get; init; }

        /// <summary>Where a checkpoint is written after every epoch, atomically; default null, none. See
        /// <see cref="TrainingOptions.CheckpointPath"/>.</summary>
        public string? CheckpointPath { get; init; }

        /// <summary>Continues from the checkpoint at <see cref="CheckpointPath"/> (which must exist) instead of starting
        /// afresh; with the same data and options the result is bit-identical on the CPU to an uninterrupted run. Default
        /// false.</summary>
        public bool ResumeFromCheckpoint { get; init; }

        /// <summary>Stops training before the next batch; <c>Fit</c> then throws <see cref="OperationCanceledException"/>
        /// and frees the network. Default none.</summary>
        public CancellationToken CancellationToken { get; init; }

        /// <summary>The recipe of An et al. (2020) for M3, M5 and M7: Adam at 0.001 with ExponentialLR γ = 0.98 per epoch,
        /// batch 120, rotations up to ±20° and shifts up to ±20 %, and a weight average of decay 0.999; 150 epochs on
        /// <see cref="CnnArchitectures.M5"/>. Change any of it with <c>with</c>, e.g.
        /// <c>CnnTrainer.Options.AnEtAl with { Architecture = CnnArchitectures.M3, Epochs = 3 }</c>. Unlike the paper,
        /// nothing here looks at the test set.</summary>
        public static Options AnEtAl { get; } = new()
        {
            Architecture = CnnArchitectures.M5,
            Epochs = 150,
            BatchSize = 120,
            Optimizer = new AdamOptimizer { LearningRate = 0.001 },
            Schedule = new ExponentialLR(0.98),
            Augmentation = ImageAugmentation.AnEtAl,
            AverageWeights = true,
            WeightAverageDecay = 0.999,
        };
    }
}
