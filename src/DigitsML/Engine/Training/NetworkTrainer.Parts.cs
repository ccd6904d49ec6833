// NetworkTrainer.Parts.cs — the training loop's working state: the session a run holds (optimizer, average, resident data,
// order, generator, history, best epoch), the data on the device, the phase clock and the running figures.
using System.Diagnostics;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using DigitsML.Networks;

namespace DigitsML.Engine;

internal static partial class NetworkTrainer
{
    /// <summary>What one run holds from its start to its end; disposing frees the optimizer, the average and the data on
    /// the device.</summary>
    private sealed class Session : IDisposable
    {
        private Session(TrainingRun run, Network network, OptimizerHelper optimizer, WeightAverage? average, ResidentData data,
            ResidentData? validationData)
        {
            (Run, Network, Optimizer, Average, Data, ValidationData) = (run, network, optimizer, average, data, validationData);
            BatchSize = Math.Min(run.Recipe.BatchSize, data.Count);
            // A final batch of one example would break BatchNorm's batch statistics, so it is dropped.
            StepsPerEpoch = data.Count / BatchSize + (data.Count % BatchSize > 1 ? 1 : 0);
            // Shuffled in place every epoch (Random.Shuffle draws the same numbers whatever the element type), uploaded as
            // the index tensor the epoch's batches are taken by.
            Order = new long[data.Count];
            for (int i = 0; i < Order.Length; i++)
                Order[i] = i;
            Random = new Random(run.Recipe.Seed);
            History = new List<EpochProgress>(run.Recipe.Epochs);
        }

        public TrainingRun Run { get; }
        public Network Network { get; }
        public OptimizerHelper Optimizer { get; }
        public WeightAverage? Average { get; }
        public ResidentData Data { get; }
        public ResidentData? ValidationData { get; }
        public int BatchSize { get; }
        public int StepsPerEpoch { get; }
        public long[] Order { get; }
        public Random Random { get; }
        public List<EpochProgress> History { get; }
        public BestEpoch Best { get; set; } = new();
        /// <summary>0-based epoch the loop starts at (after a checkpoint's when resuming).</summary>
        public int FirstEpoch { get; set; }

        public static Session Start(Network network, DigitDataset train, DigitDataset? validation, TrainingRun run)
        {
            var recipe = run.Recipe;
            OptimizerHelper? optimizer = null;
            WeightAverage? average = null;
            ResidentData? data = null, validationData = null;
            try
            {
                optimizer = TorchCall.Run("creating the optimizer", () => recipe.Optimizer.Create(network.Module.parameters()));
                average = recipe.AverageWeights ? new WeightAverage(network, recipe.WeightAverageDecay) : null;
                data = ResidentData.Upload(network, train);
                validationData = validation is null ? null : ResidentData.Upload(network, validation);
                return new Session(run, network, optimizer, average, data, validationData);
            }
            catch
            {
                validationData?.Dispose();
                data?.Dispose();
                average?.Dispose();
                optimizer?.Dispose();
                throw;
            }
        }

        public void Dispose()
        {
            ValidationData?.Dispose();
            Data.Dispose();
            Average?.Dispose();
            Optimizer.Dispose();
        }
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

}
