// NetworkTrainer.cs — the training loop: the data resident on the device as one tensor, batches taken by index,
// one TorchSharp step per batch (everything a step makes disposed with it), evaluate, report.
using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace DigitsML.Engine;

/// <summary>Trains and evaluates a <see cref="Network"/> on in-memory data.</summary>
public static class NetworkTrainer
{
    /// <summary>Trains <paramref name="network"/> in place.</summary>
    /// <param name="network">The network; its weights change.</param>
    /// <param name="train">Training data; its shape must match the network's input.</param>
    /// <param name="validation">Evaluated after every epoch when given; never trained on.</param>
    /// <param name="options">The recipe.</param>
    /// <param name="progress">Told after every epoch, synchronously on the training thread; may be null.</param>
    /// <param name="cancellationToken">Checked before every batch.</param>
    /// <param name="batchProgress">Told the epoch's running figures after every batch, on the training thread; may be null.</param>
    /// <returns>One entry per finished epoch (fewer than <see cref="TrainingOptions.Epochs"/> when early stopping ends
    /// the run).</returns>
    /// <exception cref="ArgumentException">Shapes or labels do not fit the network, or an option is out of range.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; the network keeps the weights of the last finished step and
    /// the checkpoint (when <see cref="TrainingOptions.CheckpointPath"/> is set) those of the last finished epoch.</exception>
    /// <exception cref="FileNotFoundException">Resuming was asked and there is no checkpoint.</exception>
    /// <exception cref="DataFormatException">The checkpoint to resume from is damaged or not a checkpoint.</exception>
    public static IReadOnlyList<EpochProgress> Train(Network network, DigitDataset train, DigitDataset? validation,
        TrainingOptions options, IProgress<EpochProgress>? progress = null, CancellationToken cancellationToken = default,
        IProgress<BatchProgress>? batchProgress = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        RequireFits(network, train, nameof(train));
        if (validation is not null)
            RequireFits(network, validation, nameof(validation));
        if (train.Count < 2)
            throw new ArgumentException("Training needs at least 2 examples.", nameof(train));
        if (options.NeedsValidation && (validation is null || validation.Count == 0))
            throw new ArgumentException("Early stopping and best-epoch selection need a validation set held out of the training data.",
                nameof(validation));
        if (options.Augmentation.IsActive && network.Definition.InputShape.Rank != 3)
            throw new ArgumentException($"Augmentation needs image input; {network.Definition.Name} takes {network.Definition.InputShape}.",
                nameof(options));

        using var optimizer = TorchCall.Run("creating the optimizer", () => options.Optimizer.Create(network.Module.parameters()));
        using var average = options.AverageWeights ? new WeightAverage(network, options.WeightAverageDecay) : null;
        using var data = ResidentData.Upload(network, train);
        using var validationData = validation is null ? null : ResidentData.Upload(network, validation);

        int batchSize = Math.Min(options.BatchSize, train.Count);
        // A final batch of one example would break BatchNorm's batch statistics, so it is dropped.
        int stepsPerEpoch = train.Count / batchSize + (train.Count % batchSize > 1 ? 1 : 0);
        // Shuffled in place every epoch (Random.Shuffle draws the same numbers whatever the element type), uploaded as the
        // index tensor the epoch's batches are taken by.
        var order = new long[train.Count];
        for (int i = 0; i < order.Length; i++)
            order[i] = i;
        var random = new Random(options.Seed);
        var history = new List<EpochProgress>(options.Epochs);
        var best = new BestEpoch();
        int firstEpoch = 0;
        if (options.ResumeFromCheckpoint)
        {
            var restored = TrainingCheckpoint.Restore(options.CheckpointPath!, network, optimizer, average, options);
            history.AddRange(restored.History);
            best = restored.Best;
            firstEpoch = restored.EpochsCompleted;
            // Replaying the shuffles leaves the order and the generator exactly where the interrupted run had them.
            for (int epoch = 0; epoch < firstEpoch && options.Shuffle; epoch++)
                random.Shuffle(order);
        }

        for (int epoch = firstEpoch; epoch < options.Epochs && !best.ShouldStop(epoch, options.EarlyStoppingPatience); epoch++)
        {
            var clock = Stopwatch.StartNew();
            var phases = new PhaseClock();
            if (options.Shuffle)
                random.Shuffle(order);
            using var epochOrder = tensor(order, device: network.TorchDevice);
            // The augmentation draws from its own generator, seeded per epoch, so a resumed run draws the same angles.
            var augmentRandom = options.Augmentation.IsActive ? new Random(AugmentationSeed(options.Seed, epoch)) : null;
            using var running = new RunningFigures(network.TorchDevice, readEveryStep: batchProgress is not null);
            double rate = 0;
            network.SetTraining(true);
            for (int step = 0; step < stepsPerEpoch; step++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int start = step * batchSize, n = Math.Min(batchSize, train.Count - start);
                phases.Start();
                rate = options.Schedule.RateAt(options.Optimizer.LearningRate, epoch, step, stepsPerEpoch, options.Epochs);
                OptimizerSettings.SetLearningRate(optimizer, rate);
                TorchCall.Run($"training step {step + 1} of epoch {epoch + 1}", () =>
                {
                    using var scope = NewDisposeScope();
                    var rows = epochOrder.narrow(0, start, n);
                    var x = data.Images.index_select(0, rows);
                    var y = data.Labels.index_select(0, rows);
                    phases.Lap(ref phases.Data);
                    if (augmentRandom is not null)
                    {
                        x = options.Augmentation.Apply(x, network.Definition.InputShape, augmentRandom);
                        phases.Lap(ref phases.Augmentation);
                    }
                    var logits = network.Module.forward(x);
                    var loss = nn.functional.cross_entropy(logits, y, label_smoothing: options.LabelSmoothing);
                    phases.Lap(ref phases.Forward);
                    optimizer.zero_grad();
                    loss.backward();
                    phases.Lap(ref phases.Backward);
                    optimizer.step();
                    phases.Lap(ref phases.Optimizer);
                    running.Add(loss, logits, y, n);
                });
                phases.Lap(ref phases.Bookkeeping);
                if (average is not null)
                {
                    average.Update((long)epoch * stepsPerEpoch + step);
                    phases.Lap(ref phases.Averaging);
                }
                if (batchProgress is not null)
                    batchProgress.Report(new BatchProgress(epoch + 1, options.Epochs, step + 1, stepsPerEpoch, running.MeanLoss,
                        running.Accuracy, running.Seen, clock.Elapsed.TotalSeconds));
            }
            double trainLoss = running.MeanLoss, trainAccuracy = running.Accuracy;

            EvaluationResult? val = null;
            if (validationData is not null)
            {
                phases.Start();
                average?.Swap();
                try
                {
                    val = TorchCall.Run($"evaluating {network.Definition.Name}", () => Evaluate(network, validationData, options.EvaluationBatchSize, keepProbabilities: false));
                    if (options.NeedsValidation)
                        best.Offer(epoch + 1, val, options.SelectBestEpoch ? network : null);
                }
                finally
                {
                    average?.Swap();
                }
                phases.Lap(ref phases.Evaluation);
            }
            var figures = new EpochProgress(epoch + 1, options.Epochs, trainLoss, trainAccuracy,
                val?.Loss, val?.Accuracy, rate, clock.Elapsed.TotalSeconds) { Phases = phases.ToPhases() };
            history.Add(figures);
            if (options.CheckpointPath is not null)
                TrainingCheckpoint.Save(options.CheckpointPath, network, optimizer, average, best, options, history);
            progress?.Report(figures);
        }

        // The network ends with what is evaluated and saved: the best epoch's weights when selecting, else the average
        // when averaging, else the last step's.
        if (options.SelectBestEpoch && best.State is not null)
            network.SetState(best.State);
        else
            average?.Swap();
        return history;
    }

    /// <summary>A seed for epoch <paramref name="epoch"/>'s augmentation draws, the same in every process (HashCode is
    /// randomised per process, so it is not used).</summary>
    internal static int AugmentationSeed(int seed, int epoch)
    {
        ulong z = ((ulong)(uint)seed << 32 | (uint)epoch) + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return (int)((z ^ (z >> 31)) & int.MaxValue);
    }

    /// <summary>The epoch with the best validation accuracy so far (ties to the lower loss) and, when kept, its
    /// weights (the averaged ones when averaging).</summary>
    internal sealed class BestEpoch
    {
        /// <summary>1-based epoch; 0 before any.</summary>
        public int Epoch { get; set; }
        public double Accuracy { get; set; } = double.NegativeInfinity;
        public double Loss { get; set; } = double.PositiveInfinity;
        public IReadOnlyList<NamedTensor>? State { get; set; }

        public void Offer(int epoch, EvaluationResult result, Network? keepFrom)
        {
            if (result.Accuracy < Accuracy || (result.Accuracy == Accuracy && result.Loss >= Loss))
                return;
            (Epoch, Accuracy, Loss) = (epoch, result.Accuracy, result.Loss);
            if (keepFrom is not null)
                State = keepFrom.GetState();
        }

        /// <summary>Whether <paramref name="patience"/> epochs have passed since the best one before 0-based
        /// <paramref name="nextEpoch"/>.</summary>
        public bool ShouldStop(int nextEpoch, int patience) => patience > 0 && Epoch > 0 && nextEpoch - Epoch >= patience;
    }

    /// <summary>Evaluates <paramref name="network"/> on <paramref name="data"/> without gradients.</summary>
    /// <param name="network">The network.</param>
    /// <param name="data">Labelled examples.</param>
    /// <param name="batchSize">Examples per forward pass; default 1000.</param>
    /// <param name="keepProbabilities">Whether to return every example's class probabilities.</param>
    /// <exception cref="ArgumentException">The data does not fit the network.</exception>
    /// <exception cref="TorchOutOfMemoryException">A batch does not fit in memory.</exception>
    public static EvaluationResult Evaluate(Network network, DigitDataset data, int batchSize = 1000, bool keepProbabilities = false)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        RequireFits(network, data, nameof(data));
        if (data.Count == 0)
            throw new ArgumentException("There is nothing to evaluate: the data is empty.", nameof(data));
        return TorchCall.Run($"evaluating {network.Definition.Name}", () =>
        {
            using var resident = ResidentData.Upload(network, data);
            return Evaluate(network, resident, batchSize, keepProbabilities);
        });
    }

    /// <summary>Evaluates data already on the network's device (the trainer's validation set, uploaded once per run).</summary>
    private static EvaluationResult Evaluate(Network network, ResidentData data, int batchSize, bool keepProbabilities)
    {
        int classes = network.Classes, count = data.Count;
        if (count == 0)
            throw new ArgumentException("There is nothing to evaluate: the data is empty.", nameof(data));
        float[]? probabilities = keepProbabilities ? new float[(long)count * classes] : null;
        double lossSum = 0;
        long correct = 0;
        for (int start = 0; start < count; start += batchSize)
        {
            int n = Math.Min(batchSize, count - start);
            using var x = data.Images.narrow(0, start, n);
            using var y = data.Labels.narrow(0, start, n);
            var (loss, hits) = network.EvaluateBatch(x, y,
                probabilities is null ? Span<float>.Empty : probabilities.AsSpan(start * classes, n * classes));
            lossSum += loss;
            correct += hits;
        }
        return new EvaluationResult(lossSum / count, (double)correct / count, count, probabilities);
    }

    /// <summary>A data set as two tensors on the network's device: images (count, C, H, W) and int64 labels.</summary>
    private sealed class ResidentData : IDisposable
    {
        private ResidentData(Tensor images, Tensor labels) => (Images, Labels) = (images, labels);

        public Tensor Images { get; }
        public Tensor Labels { get; }
        public int Count => (int)Labels.shape[0];

        public static ResidentData Upload(Network network, DigitDataset data)
        {
            using var images = empty(network.InputDimensions(data.Count), float32);
            images.data<float>().CopyFrom(data.Pixels);
            using var labels = tensor(Array.ConvertAll(data.Labels, l => (long)l));
            return new ResidentData(images.to(network.TorchDevice, copy: true), labels.to(network.TorchDevice, copy: true));
        }

        public void Dispose()
        {
            Images.Dispose();
            Labels.Dispose();
        }
    }

    /// <summary>Adds the host time between laps to the phase each lap names; two timestamps a phase, nothing allocated.</summary>
    private sealed class PhaseClock
    {
        private static readonly double secondsPerTick = 1.0 / Stopwatch.Frequency;
        private long last;
        public long Data, Augmentation, Forward, Backward, Optimizer, Bookkeeping, Averaging, Evaluation;

        public void Start() => last = Stopwatch.GetTimestamp();

        public void Lap(ref long phase)
        {
            long now = Stopwatch.GetTimestamp();
            phase += now - last;
            last = now;
        }

        public TrainingPhases ToPhases() => new(Data * secondsPerTick, Augmentation * secondsPerTick, Forward * secondsPerTick,
            Backward * secondsPerTick, Optimizer * secondsPerTick, Bookkeeping * secondsPerTick, Averaging * secondsPerTick,
            Evaluation * secondsPerTick);
    }

    /// <summary>An epoch's running loss and accuracy. On the CPU, or when every batch is reported, each step's figures
    /// are read at once; otherwise they add up on the device and are read once, at the end of the epoch, so a GPU never
    /// waits for the host mid-epoch.</summary>
    private sealed class RunningFigures(torch.Device device, bool readEveryStep) : IDisposable
    {
        private readonly bool readNow = readEveryStep || device.type == DeviceType.CPU;
        private readonly Tensor lossOnDevice = zeros(1, float64, device);
        private readonly Tensor hitsOnDevice = zeros(1, int64, device);
        private double lossSum;
        private long hits;

        public long Seen { get; private set; }

        public double MeanLoss => Seen == 0 ? 0 : (lossSum + (readNow ? 0 : lossOnDevice.item<double>())) / Seen;

        public double Accuracy => Seen == 0 ? 0 : (double)(hits + (readNow ? 0 : hitsOnDevice.item<long>())) / Seen;

        public void Add(Tensor meanLoss, Tensor logits, Tensor labels, int n)
        {
            using var noGrad = no_grad();
            var batchHits = logits.argmax(1).eq(labels).sum();
            if (readNow)
            {
                lossSum += meanLoss.item<float>() * (double)n;
                hits += batchHits.item<long>();
            }
            else
            {
                lossOnDevice.add_(meanLoss.to(float64), alpha: n);
                hitsOnDevice.add_(batchHits);
            }
            Seen += n;
        }

        public void Dispose()
        {
            lossOnDevice.Dispose();
            hitsOnDevice.Dispose();
        }
    }

    private static void RequireFits(Network network, DigitDataset data, string name)
    {
        if (data.Shape != network.Definition.InputShape)
            throw new ArgumentException($"Examples have shape {data.Shape}; {network.Definition.Name} takes {network.Definition.InputShape}.", name);
        int bad = Array.FindIndex(data.Labels, l => l >= network.Classes);
        if (bad >= 0)
            throw new ArgumentException($"Label {data.Labels[bad]} at row {bad} is outside the {network.Classes} classes of {network.Definition.Name}.", name);
    }
}
