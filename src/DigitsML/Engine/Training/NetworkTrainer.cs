// NetworkTrainer.cs — the training loop: the data resident on the device as one tensor, batches taken by index,
// one TorchSharp step per batch (everything a step makes disposed with it), evaluate, report.
using System.Diagnostics;
using DigitsML.Networks;
using DigitsML.Trainers;
using TorchSharp;
using static TorchSharp.torch;

namespace DigitsML.Engine;

/// <summary>Trains and evaluates a <see cref="Network"/> on in-memory data.</summary>
internal static partial class NetworkTrainer
{
    /// <summary>Trains <paramref name="network"/> in place with <paramref name="run"/>'s recipe, telling its
    /// <see cref="CnnTrainer.Options.Progress"/> and <see cref="CnnTrainer.Options.BatchProgress"/> and checking its
    /// <see cref="CnnTrainer.Options.CancellationToken"/> before every batch. The recipe is not checked again here:
    /// <see cref="CnnTrainer.Options.Validate"/> did that.</summary>
    /// <param name="network">The network; its weights change.</param>
    /// <param name="train">Training data; its shape must match the network's input.</param>
    /// <param name="validation">Evaluated after every epoch when given; never trained on.</param>
    /// <param name="run">The recipe and the engine's own settings.</param>
    /// <returns>One entry per finished epoch (fewer than the recipe's epochs when early stopping ends the run).</returns>
    /// <exception cref="ArgumentException">Shapes or labels do not fit the network, or early stopping or best-epoch
    /// selection has no validation set.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; the network keeps the weights of the last finished step and
    /// the checkpoint (when asked for) those of the last finished epoch.</exception>
    /// <exception cref="FileNotFoundException">Resuming was asked and there is no checkpoint.</exception>
    /// <exception cref="DataFormatException">The checkpoint to resume from is damaged or not a checkpoint.</exception>
    public static IReadOnlyList<EpochProgress> Train(Network network, DigitDataset train, DigitDataset? validation, TrainingRun run)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(run);
        RequireTrainable(network, train, validation, run.Recipe);
        using var session = Session.Start(network, train, validation, run);
        ResumeOrStart(session);
        for (int epoch = session.FirstEpoch; epoch < run.Recipe.Epochs && !session.Best.ShouldStop(epoch, run.Recipe.EarlyStoppingPatience); epoch++)
        {
            var clock = Stopwatch.StartNew();
            var phases = new PhaseClock();
            var (trainLoss, trainAccuracy, rate) = RunEpoch(session, epoch, phases, clock);
            EndOfEpoch(session, epoch, phases, clock, trainLoss, trainAccuracy, rate);
        }
        Finish(session);
        return session.History;
    }

    /// <exception cref="ArgumentException">The data does not fit the network or the recipe.</exception>
    private static void RequireTrainable(Network network, DigitDataset train, DigitDataset? validation, CnnTrainer.Options recipe)
    {
        RequireFits(network, train, nameof(train));
        if (validation is not null)
            RequireFits(network, validation, nameof(validation));
        if (train.Count < 2)
            throw new ArgumentException("Training needs at least 2 examples.", nameof(train));
        if (recipe.NeedsValidation && (validation is null || validation.Count == 0))
            throw new ArgumentException("Early stopping and best-epoch selection need a validation set held out of the training data.",
                nameof(validation));
        if (recipe.Augmentation.IsActive && network.Definition.InputShape.Rank != 3)
            throw new ArgumentException($"Augmentation needs image input; {network.Definition.Name} takes {network.Definition.InputShape}.",
                nameof(recipe));
    }

    /// <summary>Restores the checkpoint when resuming: weights, optimizer, average, history, best epoch, and the shuffle
    /// order replayed so the order and the generator stand exactly where the interrupted run had them.</summary>
    private static void ResumeOrStart(Session s)
    {
        var recipe = s.Run.Recipe;
        if (!recipe.ResumeFromCheckpoint)
            return;
        var restored = TrainingCheckpoint.Restore(recipe.CheckpointPath!, s.Network, s.Optimizer, s.Average, s.Run);
        s.History.AddRange(restored.History);
        s.Best = restored.Best;
        s.FirstEpoch = restored.EpochsCompleted;
        for (int epoch = 0; epoch < s.FirstEpoch && s.Run.Shuffle; epoch++)
            s.Random.Shuffle(s.Order);
    }

    /// <summary>One pass over the training rows: a TorchSharp step per batch, the weight average after each, batch
    /// progress; returns the epoch's running loss and accuracy and the last learning rate.</summary>
    private static (double Loss, double Accuracy, double Rate) RunEpoch(Session s, int epoch, PhaseClock phases, Stopwatch clock)
    {
        var recipe = s.Run.Recipe;
        var network = s.Network;
        if (s.Run.Shuffle)
            s.Random.Shuffle(s.Order);
        using var epochOrder = tensor(s.Order, device: network.TorchDevice);
        // The augmentation draws from its own generator, seeded per epoch, so a resumed run draws the same angles.
        var augmentRandom = recipe.Augmentation.IsActive ? new Random(Seeds.Augmentation(recipe.Seed, epoch)) : null;
        using var running = new RunningFigures(network.TorchDevice, readEveryStep: recipe.BatchProgress is not null);
        double rate = 0;
        network.SetTraining(true);
        for (int step = 0; step < s.StepsPerEpoch; step++)
        {
            recipe.CancellationToken.ThrowIfCancellationRequested();
            int start = step * s.BatchSize, n = Math.Min(s.BatchSize, s.Data.Count - start);
            phases.Start();
            rate = recipe.Schedule.RateAt(recipe.Optimizer.LearningRate, epoch, step, s.StepsPerEpoch, recipe.Epochs);
            OptimizerSettings.SetLearningRate(s.Optimizer, rate);
            TorchCall.Run($"training step {step + 1} of epoch {epoch + 1}", () =>
            {
                using var scope = NewDisposeScope();
                // rows: (n); x: (n, C, H, W); y: (n)
                var rows = epochOrder.narrow(0, start, n);
                var x = s.Data.Images.index_select(0, rows);
                var y = s.Data.Labels.index_select(0, rows);
                phases.Lap(ref phases.Data);
                if (augmentRandom is not null)
                {
                    x = recipe.Augmentation.Apply(x, network.Definition.InputShape, augmentRandom);
                    phases.Lap(ref phases.Augmentation);
                }
                var logits = network.Module.forward(x);
                var loss = nn.functional.cross_entropy(logits, y, label_smoothing: recipe.LabelSmoothing);
                phases.Lap(ref phases.Forward);
                s.Optimizer.zero_grad();
                loss.backward();
                if (recipe.GradientClipNorm is double maxNorm)
                    nn.utils.clip_grad_norm_(network.Module.parameters(), maxNorm);
                phases.Lap(ref phases.Backward);
                s.Optimizer.step();
                phases.Lap(ref phases.Optimizer);
                running.Add(loss, logits, y, n);
            });
            phases.Lap(ref phases.Bookkeeping);
            if (s.Average is not null)
            {
                s.Average.Update((long)epoch * s.StepsPerEpoch + step);
                phases.Lap(ref phases.Averaging);
            }
            recipe.BatchProgress?.Report(new BatchProgress(epoch + 1, recipe.Epochs, step + 1, s.StepsPerEpoch, running.MeanLoss,
                running.Accuracy, running.Seen, clock.Elapsed.TotalSeconds));
        }
        return (running.MeanLoss, running.Accuracy, rate);
    }

    /// <summary>After an epoch: validation (with the average when averaging), the best epoch, the history, the checkpoint
    /// and the epoch's progress report.</summary>
    private static void EndOfEpoch(Session s, int epoch, PhaseClock phases, Stopwatch clock, double trainLoss, double trainAccuracy,
        double rate)
    {
        var recipe = s.Run.Recipe;
        var network = s.Network;
        EvaluationResult? val = null;
        if (s.ValidationData is { } validationData)
        {
            phases.Start();
            s.Average?.Swap();
            try
            {
                val = TorchCall.Run($"evaluating {network.Definition.Name}",
                    () => Evaluate(network, validationData, s.Run.EvaluationBatchSize, keepProbabilities: false));
                if (recipe.NeedsValidation)
                    s.Best.Offer(epoch + 1, val, recipe.SelectBestEpoch ? network : null);
            }
            finally
            {
                s.Average?.Swap();
            }
            phases.Lap(ref phases.Evaluation);
        }
        var figures = new EpochProgress(epoch + 1, recipe.Epochs, trainLoss, trainAccuracy,
            val?.Loss, val?.Accuracy, rate, clock.Elapsed.TotalSeconds) { Phases = phases.ToPhases() };
        s.History.Add(figures);
        if (recipe.CheckpointPath is not null)
            TrainingCheckpoint.Save(recipe.CheckpointPath, network, s.Optimizer, s.Average, s.Best, s.Run, s.History);
        recipe.Progress?.Report(figures);
    }

    /// <summary>The network ends with what is evaluated and saved: the best epoch's weights when selecting, else the
    /// average when averaging, else the last step's.</summary>
    private static void Finish(Session s)
    {
        if (s.Run.Recipe.SelectBestEpoch && s.Best.State is not null)
            s.Network.SetState(s.Best.State);
        else
            s.Average?.Swap();
    }

    /// <summary>Evaluates <paramref name="network"/> on <paramref name="data"/> without gradients.</summary>
    /// <param name="network">The network.</param>
    /// <param name="data">Labelled examples.</param>
    /// <param name="batchSize">Examples per forward pass; default 1000.</param>
    /// <param name="keepProbabilities">Whether to return every example's class probabilities.</param>
    /// <exception cref="ArgumentException">The data does not fit the network.</exception>
    /// <exception cref="TorchOutOfMemoryException">A batch does not fit in memory.</exception>
    internal static EvaluationResult Evaluate(Network network, DigitDataset data, int batchSize = 1000, bool keepProbabilities = false)
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

    private static void RequireFits(Network network, DigitDataset data, string name)
    {
        if (data.Shape != network.Definition.InputShape)
            throw new ArgumentException($"Examples have shape {data.Shape}; {network.Definition.Name} takes {network.Definition.InputShape}.", name);
        int bad = Array.FindIndex(data.Labels, l => l >= network.Classes);
        if (bad >= 0)
            throw new ArgumentException($"Label {data.Labels[bad]} at row {bad} is outside the {network.Classes} classes of {network.Definition.Name}.", name);
    }
}
