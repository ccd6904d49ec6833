// CnnTrainer.Options.cs — every setting of the CNN trainer, each default stated here once, with their one check (Validate) and
// their one-line description (Describe).
using System.Text.Json.Serialization;
using DigitsML.Engine;
using DigitsML.Networks;

namespace DigitsML.Trainers;

public sealed partial class CnnTrainer
{
    /// <summary>The CNN trainer's settings: the one recipe that the trainer, the checkpoint (through <see cref="ToJson"/>),
    /// <c>digits train</c> and the report read. Defaults follow PyTorch's MNIST example: 10 epochs of batch 64, Adadelta at
    /// 1.0 with StepLR γ = 0.7, reshuffled every epoch. Immutable once built (derive variants with <c>with</c>; ready ones
    /// are in <see cref="TrainingPresets"/>); the trainer checks it (<see cref="Validate"/>) when created.</summary>
    public sealed partial record Options
    {
        /// <summary>The label column, a key (as <c>MapValueToKey</c> makes it); default "Label".</summary>
        public string LabelColumnName { get; init; } = "Label";

        /// <summary>The features column, a vector of <c>Single</c> with as many values as the architecture's input
        /// (784 or 1 × 28 × 28 for the built-in ones), pixels in [0, 1]; default "Features".</summary>
        public string FeatureColumnName { get; init; } = "Features";

        /// <summary>The network; default <see cref="CnnArchitectures.SeedNet"/>. When the label has a different number of
        /// classes than the network scores and the network ends in <see cref="Linear"/>, that last layer is resized.</summary>
        public NetworkDefinition Architecture { get; init; } = CnnArchitectures.SeedNet;

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

        /// <summary>Largest global L2 norm of the gradients: before each optimizer step, when the norm of all gradients
        /// together exceeds it, they are scaled down to it (PyTorch's <c>torch.nn.utils.clip_grad_norm_</c>). Default null, no
        /// clipping. Must be positive and finite.</summary>
        public double? GradientClipNorm { get; init; }

        /// <summary>Fixes initial weights, shuffling, dropout and the validation split; default 0, so training is
        /// repeatable. (An ML.NET catalog does not tell its trainers the <c>MLContext</c>'s seed, so it is set here.)</summary>
        public int Seed { get; init; }

        /// <summary>The CUDA device to train on, as ML.NET's <c>MLContext.GpuDeviceId</c>; default null, the CPU. Scoring
        /// always runs the exported graph on the CPU ONNX Runtime unless the app swaps in ONNX Runtime's GPU package.</summary>
        [JsonIgnore]
        public int? GpuDeviceId { get; init; }

        /// <summary>Trains on the CPU, with a line to <see cref="Log"/>, when <see cref="GpuDeviceId"/> cannot be used;
        /// default false, which throws <see cref="DeviceUnavailableException"/> instead.</summary>
        [JsonIgnore]
        public bool FallbackToCpu { get; init; }

        /// <summary>Told what the trainer decides (the device, a resized last layer, the data's size), one line at a time;
        /// default null.</summary>
        [JsonIgnore]
        public Action<string>? Log { get; init; }

        /// <summary>Fraction of the training rows held out (drawn at random with the seed) and evaluated after every
        /// epoch, never trained on; default 0, no validation. Must be in [0, 1). The test set is never used.</summary>
        public double ValidationFraction { get; init; }

        /// <summary>Random rotation and shift of each training image, drawn per image and per epoch from the seed;
        /// validation and test images are never augmented. Default <see cref="ImageAugmentation.None"/>.</summary>
        public ImageAugmentation Augmentation { get; init; } = ImageAugmentation.None;

        /// <summary>Keeps an exponential moving average of the weights, evaluates validation with it and puts it in the
        /// fitted model (so it is what is saved and scored). Default false.</summary>
        public bool AverageWeights { get; init; }

        /// <summary>Decay of the weight average, in (0, 1), with the warm-up min(decay, (1 + t) / (10 + t)); default
        /// 0.999.</summary>
        public double WeightAverageDecay { get; init; } = 0.999;

        /// <summary>Stops after this many epochs without a better validation accuracy; default 0, never. Needs
        /// <see cref="ValidationFraction"/> &gt; 0: stopping is only ever decided on rows held out of the training data.</summary>
        public int EarlyStoppingPatience { get; init; }

        /// <summary>Keeps the weights of the epoch with the best validation accuracy instead of the last; default false.
        /// Needs <see cref="ValidationFraction"/> &gt; 0.</summary>
        public bool SelectBestEpoch { get; init; }

        /// <summary>Told each epoch's figures, synchronously on the training thread; default null.</summary>
        [JsonIgnore]
        public IProgress<EpochProgress>? Progress { get; init; }

        /// <summary>Told the running figures after every training batch (for progress bars), synchronously on the
        /// training thread; default null.</summary>
        [JsonIgnore]
        public IProgress<BatchProgress>? BatchProgress { get; init; }

        /// <summary>Where a checkpoint is written after every epoch: the network, the optimizer state, the epoch, the
        /// generator positions, the history and this recipe's <see cref="ToJson"/> form, written atomically (temporary file,
        /// flush, rename), so a run killed at any moment leaves the last complete checkpoint. Default null, none.</summary>
        [JsonIgnore]
        public string? CheckpointPath { get; init; }

        /// <summary>Continues from the checkpoint at <see cref="CheckpointPath"/> (which must exist) instead of starting
        /// afresh; with the same data and options the result is bit-identical on the CPU to an uninterrupted run. A
        /// checkpoint written with another recipe (another <see cref="ToJson"/> form) is refused, naming the settings that
        /// differ. Default false.</summary>
        [JsonIgnore]
        public bool ResumeFromCheckpoint { get; init; }

        /// <summary>Stops training before the next batch; <c>Fit</c> then throws <see cref="OperationCanceledException"/>
        /// and frees the network. Default none.</summary>
        [JsonIgnore]
        public CancellationToken CancellationToken { get; init; }

        /// <summary>Whether the recipe needs a validation set (early stopping or best-epoch selection).</summary>
        internal bool NeedsValidation => EarlyStoppingPatience > 0 || SelectBestEpoch;

        /// <summary>Checks every setting; <see cref="CnnTrainer"/> calls it once, when created.</summary>
        /// <exception cref="ArgumentOutOfRangeException">A setting is outside its range; the message names it.</exception>
        /// <exception cref="ArgumentException">A column name is empty, resuming is asked without a checkpoint path, or early
        /// stopping or best-epoch selection is asked without a validation fraction.</exception>
        /// <exception cref="ArgumentNullException">The architecture, optimizer, schedule or augmentation is null.</exception>
        /// <exception cref="InvalidNetworkException">The architecture does not fit its input shape.</exception>
        public void Validate()
        {
            ArgumentException.ThrowIfNullOrEmpty(LabelColumnName, nameof(LabelColumnName));
            ArgumentException.ThrowIfNullOrEmpty(FeatureColumnName, nameof(FeatureColumnName));
            ArgumentNullException.ThrowIfNull(Architecture, nameof(Architecture));
            ArgumentOutOfRangeException.ThrowIfLessThan(Epochs, 1, nameof(Epochs));
            ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1, nameof(BatchSize));
            ArgumentNullException.ThrowIfNull(Optimizer, nameof(Optimizer));
            Optimizer.Validate();
            ArgumentNullException.ThrowIfNull(Schedule, nameof(Schedule));
            if (!(LabelSmoothing >= 0 && LabelSmoothing < 1))
                throw new ArgumentOutOfRangeException(nameof(LabelSmoothing), LabelSmoothing, "Label smoothing must be in [0, 1).");
            if (!(ValidationFraction >= 0 && ValidationFraction < 1))
                throw new ArgumentOutOfRangeException(nameof(ValidationFraction), ValidationFraction, "The validation fraction must be in [0, 1).");
            ArgumentNullException.ThrowIfNull(Augmentation, nameof(Augmentation));
            Augmentation.Validate();
            if (!(WeightAverageDecay > 0 && WeightAverageDecay < 1))
                throw new ArgumentOutOfRangeException(nameof(WeightAverageDecay), WeightAverageDecay, "The weight average decay must be in (0, 1).");
            ArgumentOutOfRangeException.ThrowIfNegative(EarlyStoppingPatience, nameof(EarlyStoppingPatience));
            if (GradientClipNorm is double clip && !(clip > 0 && double.IsFinite(clip)))
                throw new ArgumentOutOfRangeException(nameof(GradientClipNorm), clip, "The gradient clipping norm must be positive and finite (or null, off).");
            if (NeedsValidation && ValidationFraction == 0)
                throw new ArgumentException($"{nameof(EarlyStoppingPatience)} and {nameof(SelectBestEpoch)} decide on held-out training rows: " +
                                            $"set {nameof(ValidationFraction)} (e.g. 0.1).", nameof(ValidationFraction));
            if (ResumeFromCheckpoint && string.IsNullOrWhiteSpace(CheckpointPath))
                throw new ArgumentException($"{nameof(ResumeFromCheckpoint)} needs a {nameof(CheckpointPath)}.", nameof(CheckpointPath));
            Architecture.Summarize();
        }

        /// <summary>Every setting that shapes the trained network, on one line, e.g. "QuickNet, 1 epoch, batch 128, adam lr
        /// 0.001, one-cycle schedule peaking at 0.008, label smoothing 0.1, seed 1; augmentation none; weight average off;
        /// validation none". Columns, device, callbacks and checkpoint paths are left out (as in <see cref="ToJson"/>).</summary>
        public string Describe()
        {
            string augmentation = Augmentation.IsActive ? Augmentation.Summary() : "none";
            return $"{Architecture.Name}, {Count(Epochs, "epoch")}, batch {BatchSize}, {RecipeText.Describe(Optimizer)}, " +
                   $"{RecipeText.Describe(Schedule)}, label smoothing {N(LabelSmoothing)}, seed {Seed}" +
                   (GradientClipNorm is double clip ? $", gradient norm clipped at {N(clip)}" : "") + $"; augmentation {augmentation}; " +
                   $"weight average {(AverageWeights ? $"on, decay {N(WeightAverageDecay)}" : "off")}; validation {DescribeValidation()}";
        }

        private string DescribeValidation()
        {
            if (ValidationFraction == 0)
                return "none";
            string stop = EarlyStoppingPatience > 0 ? $"stop after {Count(EarlyStoppingPatience, "epoch")} without a better accuracy" : "no early stopping";
            return $"{N(ValidationFraction * 100)} % of the training images held out, {stop}, {(SelectBestEpoch ? "best" : "last")} epoch kept";
        }

        private static string N(double value) => RecipeText.Number(value);

        private static string Count(int n, string noun) => RecipeText.Count(n, noun);
    }
}
