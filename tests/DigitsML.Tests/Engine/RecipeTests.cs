// RecipeTests.cs — the training recipe's options wired into the loop: augmentation, weight average, early stopping,
// best-epoch selection, batch progress, the An et al. preset, and resuming a run that uses all of them.
using DigitsML.Engine;
using DigitsML.Networks;
using DigitsML.Trainers;
using DigitsML.Testing;

namespace DigitsML.Tests.Engine;

[TestFixture]
public sealed class RecipeTests
{
    private static readonly TensorShape Shape = TensorShape.Image(1, 8, 8);

    private static DigitDataset Data(int seed, int count = 96) => EngineFixtures.RandomDataset(count, Shape, seed);

    private static CnnTrainer.Options Recipe(int epochs = 3) => new()
    {
        Epochs = epochs,
        BatchSize = 16,
        Optimizer = new AdamOptimizer { LearningRate = 0.01 },
        Schedule = new ExponentialLR(0.9),
        Seed = 7,
    };

    private static (IReadOnlyList<NamedTensor> State, IReadOnlyList<EpochProgress> History) Run(CnnTrainer.Options options,
        DigitDataset? validation = null)
    {
        using var network = Network.Create(EngineFixtures.TrainNet, seed: 3);
        var history = NetworkTrainer.Train(network, Data(1), validation, options);
        return (network.GetState(), history);
    }

    [Test]
    public void Train_WithAugmentation_ChangesTheWeightsAndRepeatsBitForBit()
    {
        var augmented = Recipe() with { Augmentation = ImageAugmentation.AnEtAl };

        var plain = Run(Recipe());
        var first = Run(augmented);
        var second = Run(augmented);

        Assert.That(EngineFixtures.StatesEqual(first.State, plain.State), Is.False, "augmentation changed nothing");
        Assert.That(EngineFixtures.StatesEqual(first.State, second.State), Is.True, "augmentation is not repeatable from the seed");
    }

    [Test]
    public void Train_WithAugmentation_ValidationFiguresAreThoseOfUnaugmentedImages()
    {
        var validation = Data(2, count: 40);
        using var network = Network.Create(EngineFixtures.TrainNet, seed: 3);

        var history = NetworkTrainer.Train(network, Data(1), validation, Recipe(epochs: 1) with { Augmentation = ImageAugmentation.AnEtAl });
        var direct = NetworkTrainer.Evaluate(network, validation);

        Assert.That(history[0].ValidationLoss, Is.EqualTo(direct.Loss), "validation was not evaluated on the images as given");
    }

    [Test]
    public void Train_AverageWeights_EvaluatesAndLeavesTheAverageInTheNetwork()
    {
        var validation = Data(2, count: 40);
        using var network = Network.Create(EngineFixtures.TrainNet, seed: 3);

        var history = NetworkTrainer.Train(network, Data(1), validation, Recipe() with { AverageWeights = true, WeightAverageDecay = 0.9 });
        var direct = NetworkTrainer.Evaluate(network, validation);
        var plain = Run(Recipe(), validation);

        Assert.That(history[^1].ValidationLoss, Is.EqualTo(direct.Loss), "the last validation was not of the weights left in the network");
        Assert.That(EngineFixtures.StatesEqual(network.GetState(), plain.State), Is.False, "the network holds the last step's weights, not the average");
        Assert.That(history[^1].ValidationLoss, Is.Not.EqualTo(plain.History[^1].ValidationLoss));
    }

    [Test]
    public void Train_AverageWeights_DoesNotChangeWhatIsTrained()
    {
        // Training figures come from the live weights, so they match a run without the average exactly.
        var averaged = Run(Recipe() with { AverageWeights = true });
        var plain = Run(Recipe());

        Assert.That(averaged.History.Select(h => h.TrainLoss), Is.EqualTo(plain.History.Select(h => h.TrainLoss)));
    }

    /// <summary>The 1-based epoch with the best validation accuracy, ties to the lower loss, as the trainer ranks them.</summary>
    private static int BestOf(IReadOnlyList<EpochProgress> history) =>
        history.OrderByDescending(h => h.ValidationAccuracy).ThenBy(h => h.ValidationLoss).ThenBy(h => h.Epoch).First().Epoch;

    [Test]
    public void Train_EarlyStoppingPatience2_StopsTwoEpochsAfterTheBestValidationEpoch()
    {
        // Random labels: validation accuracy wanders, so it stops improving long before 40 epochs.
        var options = Recipe(epochs: 40) with { EarlyStoppingPatience = 2 };

        var (_, history) = Run(options, Data(2, count: 40));

        TestContext.Out.WriteLine(string.Join(Environment.NewLine, history));
        Assert.That(history, Has.Count.LessThan(40));
        Assert.That(history, Has.Count.EqualTo(BestOf(history) + 2));
    }

    [Test]
    public void Train_SelectBestEpoch_EndsWithTheBestValidationEpochsWeights()
    {
        var validation = Data(2, count: 40);
        using var network = Network.Create(EngineFixtures.TrainNet, seed: 3);

        var history = NetworkTrainer.Train(network, Data(1), validation, Recipe(epochs: 8) with { SelectBestEpoch = true, AverageWeights = true });
        int best = BestOf(history);
        var direct = NetworkTrainer.Evaluate(network, validation);

        TestContext.Out.WriteLine($"best epoch {best}:{Environment.NewLine}{string.Join(Environment.NewLine, history)}");
        Assert.That(best, Is.LessThan(8), "the test needs a best epoch before the last to mean anything");
        Assert.That(direct.Loss, Is.EqualTo(history[best - 1].ValidationLoss));
        Assert.That(direct.Accuracy, Is.EqualTo(history[best - 1].ValidationAccuracy));
    }

    [Test]
    public void Train_EarlyStoppingOrBestEpochWithoutValidation_ThrowsArgumentException()
    {
        using var network = Network.Create(EngineFixtures.TrainNet, seed: 3);

        Assert.That(() => NetworkTrainer.Train(network, Data(1), null, Recipe() with { SelectBestEpoch = true }),
            Throws.ArgumentException.With.Message.Contains("validation"));
        Assert.That(() => NetworkTrainer.Train(network, Data(1), null, Recipe() with { EarlyStoppingPatience = 3 }),
            Throws.ArgumentException.With.Message.Contains("validation"));
    }

    [Test]
    public void Cnn_EarlyStoppingWithoutValidationFraction_ThrowsNamingValidationFraction()
    {
        var ml = new MLContext(seed: 1);

        Assert.That(() => ml.MulticlassClassification.Trainers.Cnn(new CnnTrainer.Options { EarlyStoppingPatience = 2 }),
            Throws.ArgumentException.With.Message.Contains(nameof(CnnTrainer.Options.ValidationFraction)));
    }

    [TestCase(-1.0, 0.1)]
    [TestCase(200.0, 0.1)]
    [TestCase(10.0, double.NaN)]
    public void Validate_AugmentationOutOfRange_ThrowsArgumentOutOfRange(double degrees, double shift)
    {
        var options = Recipe() with { Augmentation = new ImageAugmentation { MaxRotationDegrees = degrees, MaxTranslation = shift } };

        Assert.That(options.Validate, Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void Train_BatchProgress_CountsEveryBatchAndImageOfEachEpoch()
    {
        using var network = Network.Create(EngineFixtures.TrainNet, seed: 3);
        var reports = new List<BatchProgress>();

        NetworkTrainer.Train(network, Data(1, count: 50), null, Recipe(epochs: 2) with { BatchProgress = new SynchronousProgress(reports.Add) });

        // 50 examples in batches of 16: 16, 16, 16 and 2.
        Assert.That(reports.Select(r => (r.Epoch, r.Batch)), Is.EqualTo(new[] { (1, 1), (1, 2), (1, 3), (1, 4), (2, 1), (2, 2), (2, 3), (2, 4) }));
        Assert.That(reports.Select(r => r.Images), Is.EqualTo(new long[] { 16, 32, 48, 50, 16, 32, 48, 50 }));
        Assert.That(reports, Has.All.Matches<BatchProgress>(r => r.Batches == 4 && r.Epochs == 2 && r.Accuracy is >= 0 and <= 1 && r.Loss > 0));
    }

    [Test]
    public void AnEtAlPreset_IsThePapersRecipe()
    {
        var preset = TrainingPresets.AnEtAl;

        Assert.That(preset.Architecture, Is.SameAs(CnnArchitectures.M5));
        Assert.That((preset.BatchSize, preset.Epochs), Is.EqualTo((120, 150)));
        Assert.That(preset.Optimizer, Is.EqualTo(new AdamOptimizer { LearningRate = 0.001 }));
        Assert.That(preset.Schedule, Is.EqualTo(new ExponentialLR(0.98)));
        Assert.That(preset.Augmentation, Is.EqualTo(new ImageAugmentation { MaxRotationDegrees = 20, MaxTranslation = 0.2 }));
        Assert.That((preset.AverageWeights, preset.WeightAverageDecay), Is.EqualTo((true, 0.999)));
        Assert.That(preset.ValidationFraction, Is.Zero, "the preset never looks at held-out rows unless asked");
    }

    [Test]
    public void Train_FullRecipeCancelledAfterEpoch2ThenResumed_BitIdenticalToUninterruptedRun()
    {
        var validation = Data(2, count: 40);
        using var folder = new TemporaryDirectory();
        string checkpoint = Path.Combine(folder.Path, "run.ckpt");
        CnnTrainer.Options Options(bool resume = false) => Recipe(epochs: 4) with
        {
            Augmentation = ImageAugmentation.AnEtAl,
            AverageWeights = true,
            WeightAverageDecay = 0.9,
            SelectBestEpoch = true,
            CheckpointPath = resume ? checkpoint : null,
            ResumeFromCheckpoint = resume,
        };

        using var uninterrupted = Network.Create(EngineFixtures.TrainNet, seed: 3);
        var fullHistory = NetworkTrainer.Train(uninterrupted, Data(1), validation, Options());

        using var cancelled = Network.Create(EngineFixtures.TrainNet, seed: 3);
        using var cts = new CancellationTokenSource();
        var stopAfter2 = new EngineFixtures.RecordingProgress(p =>
        {
            if (p.Epoch == 2)
                cts.Cancel();
        });
        Assert.Throws<OperationCanceledException>(() => NetworkTrainer.Train(cancelled, Data(1), validation,
            Options() with { CheckpointPath = checkpoint, Progress = stopAfter2, CancellationToken = cts.Token }));

        using var resumed = Network.Create(EngineFixtures.TrainNet, seed: 3);
        var history = NetworkTrainer.Train(resumed, Data(1), validation, Options(resume: true));

        Assert.That(EngineFixtures.StatesEqual(resumed.GetState(), uninterrupted.GetState()), Is.True);
        Assert.That(history.Select(h => h.ValidationLoss), Is.EqualTo(fullHistory.Select(h => h.ValidationLoss)));
    }

    /// <summary>Calls back on the reporting thread (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class SynchronousProgress(Action<BatchProgress> report) : IProgress<BatchProgress>
    {
        public void Report(BatchProgress value) => report(value);
    }
}
