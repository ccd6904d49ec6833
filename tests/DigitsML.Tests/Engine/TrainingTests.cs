// TrainingTests.cs — the training loop on MNIST subsets: accuracy gate, repeatability, cancellation, progress, optimizers and schedules.
using DigitsML.Engine;
using DigitsML.Networks;
using DigitsML.Trainers;

namespace DigitsML.Tests.Engine;

[TestFixture]
public sealed class TrainingTests
{
    [Test]
    [Category("Slow")]
    public void Train_SeedNetTwoEpochsOn10000Images_ReachesAtLeast93PercentOnTestImages()
    {
        var train = TestData.MnistTrain.Take(10_000);
        var test = TestData.MnistTest.Take(2_000);
        using var network = Network.Create(CnnArchitectures.SeedNet, seed: 1);

        var history = NetworkTrainer.Train(network, train, null, new CnnTrainer.Options { Epochs = 2, Seed = 1 });
        var result = NetworkTrainer.Evaluate(network, test);

        TestContext.Out.WriteLine(string.Join(Environment.NewLine, history));
        TestContext.Out.WriteLine($"test accuracy {result.Accuracy:P2}, loss {result.Loss:F4}");
        Assert.That(result.Accuracy, Is.GreaterThanOrEqualTo(0.93));
        Assert.That(history[1].TrainLoss, Is.LessThan(history[0].TrainLoss));
    }

    private static IReadOnlyList<NamedTensor> TrainSubset(ulong networkSeed, int trainingSeed)
    {
        using var network = Network.Create(CnnArchitectures.SeedNet, seed: networkSeed);
        NetworkTrainer.Train(network, TestData.MnistTrain.Take(2_000), null, new CnnTrainer.Options { Epochs = 1, Seed = trainingSeed });
        return network.GetState();
    }

    [Test]
    [Category("Slow")]
    public void Train_SameSeedsTwice_GivesBitIdenticalWeights()
    {
        var first = TrainSubset(networkSeed: 4, trainingSeed: 4);
        var second = TrainSubset(networkSeed: 4, trainingSeed: 4);

        Assert.That(EngineFixtures.StatesEqual(first, second), Is.True);
    }

    [Test]
    public void Create_DifferentSeeds_GivesDifferentInitialWeights()
    {
        using var a = Network.Create(CnnArchitectures.SeedNet, seed: 1);
        using var b = Network.Create(CnnArchitectures.SeedNet, seed: 2);
        using var c = Network.Create(CnnArchitectures.SeedNet, seed: 1);

        Assert.That(EngineFixtures.StatesEqual(a.GetState(), b.GetState()), Is.False);
        Assert.That(EngineFixtures.StatesEqual(a.GetState(), c.GetState()), Is.True);
    }

    [Test]
    public void Train_DifferentShuffleSeed_GivesDifferentWeights()
    {
        using var a = Network.Create(EngineFixtures.TrainNet, seed: 1);
        using var b = Network.Create(EngineFixtures.TrainNet, seed: 1);
        var data = EngineFixtures.RandomDataset(64, EngineFixtures.TrainNet.InputShape, seed: 3);

        NetworkTrainer.Train(a, data, null, new CnnTrainer.Options { Epochs = 1, BatchSize = 16, Seed = 1 });
        NetworkTrainer.Train(b, data, null, new CnnTrainer.Options { Epochs = 1, BatchSize = 16, Seed = 2 });

        Assert.That(EngineFixtures.StatesEqual(a.GetState(), b.GetState()), Is.False);
    }

    [Test]
    public void Train_PreCancelledToken_ThrowsOperationCanceledExceptionAndLeavesWeights()
    {
        using var network = Network.Create(EngineFixtures.TrainNet, seed: 1);
        var before = network.GetState();
        var data = EngineFixtures.RandomDataset(32, EngineFixtures.TrainNet.InputShape, seed: 1);
        var progress = new EngineFixtures.RecordingProgress();

        Assert.That(() => NetworkTrainer.Train(network, data, null, new CnnTrainer.Options { Epochs = 2, Progress = progress, CancellationToken = new CancellationToken(true) }),
            Throws.InstanceOf<OperationCanceledException>());

        Assert.That(progress.Reports, Is.Empty);
        Assert.That(EngineFixtures.StatesEqual(network.GetState(), before), Is.True);
    }

    [Test]
    public void Train_CancelledAfterFirstEpoch_ThrowsOperationCanceledExceptionAndNetworkStaysUsable()
    {
        using var network = Network.Create(EngineFixtures.TrainNet, seed: 1);
        var before = network.GetState();
        var data = EngineFixtures.RandomDataset(32, EngineFixtures.TrainNet.InputShape, seed: 1);
        using var cancellation = new CancellationTokenSource();
        var progress = new EngineFixtures.RecordingProgress(_ => cancellation.Cancel());

        Assert.That(() => NetworkTrainer.Train(network, data, null, new CnnTrainer.Options { Epochs = 5, BatchSize = 8, Progress = progress, CancellationToken = cancellation.Token }),
            Throws.InstanceOf<OperationCanceledException>());

        Assert.That(progress.Reports.Select(r => r.Epoch), Is.EqualTo(new[] { 1 }));
        Assert.That(EngineFixtures.StatesEqual(network.GetState(), before), Is.False, "the first epoch's steps are kept");
        Assert.That(network.Forward(data.Pixels, data.Count), Has.All.InRange(0f, 1f));
    }

    [Test]
    [Category("Slow")]
    public void Train_WithValidation_ReportsOncePerEpochWithValidationFigures()
    {
        using var network = Network.Create(CnnArchitectures.SeedNet, seed: 1);
        var train = TestData.MnistTrain.Take(300);
        var validation = TestData.MnistTest.Take(100);
        var progress = new EngineFixtures.RecordingProgress();
        var options = new CnnTrainer.Options { Epochs = 3, BatchSize = 32, Schedule = new StepLR(1, 0.5), Progress = progress };

        var history = NetworkTrainer.Train(network, train, validation, options);

        Assert.That(progress.Reports, Is.EqualTo(history));
        Assert.That(history.Select(h => h.Epoch), Is.EqualTo(new[] { 1, 2, 3 }));
        Assert.That(history.Select(h => h.LearningRate), Is.EqualTo(new[] { 1.0, 0.5, 0.25 }));
        foreach (var h in history)
        {
            Assert.That(h.Epochs, Is.EqualTo(3));
            Assert.That(h.TrainLoss, Is.GreaterThan(0).And.LessThan(10));
            Assert.That(h.TrainAccuracy, Is.InRange(0.0, 1.0));
            Assert.That(h.ValidationLoss, Is.Not.Null.And.GreaterThan(0));
            Assert.That(h.ValidationAccuracy, Is.Not.Null.And.InRange(0.0, 1.0));
            Assert.That(h.Seconds, Is.GreaterThanOrEqualTo(0).And.Not.NaN);
        }
        var final = NetworkTrainer.Evaluate(network, validation);
        Assert.That(history[^1].ValidationLoss, Is.EqualTo(final.Loss).Within(1e-9));
        Assert.That(history[^1].ValidationAccuracy, Is.EqualTo(final.Accuracy));
    }

    [Test]
    public void Train_WithoutValidation_ReportsNullValidationFigures()
    {
        using var network = Network.Create(EngineFixtures.TrainNet, seed: 1);
        var data = EngineFixtures.RandomDataset(32, EngineFixtures.TrainNet.InputShape, seed: 1);
        var progress = new EngineFixtures.RecordingProgress();

        NetworkTrainer.Train(network, data, null, new CnnTrainer.Options { Epochs = 2, BatchSize = 8, Progress = progress });

        Assert.That(progress.Reports, Has.Count.EqualTo(2));
        Assert.That(progress.Reports.Select(r => r.ValidationLoss), Has.All.Null);
        Assert.That(progress.Reports.Select(r => r.ValidationAccuracy), Has.All.Null);
        Assert.That(progress.Reports[0].ToString(), Does.Contain("epoch 1/2").And.Not.Contain("val"));
    }

    private static IEnumerable<TestCaseData> Recipes()
    {
        yield return new TestCaseData(new SgdOptimizer { LearningRate = 0.05, Momentum = 0.9, Nesterov = true }, new ConstantLR())
            .SetName("Train_SgdNesterovMomentum_LowersLoss");
        yield return new TestCaseData(new AdamOptimizer(), new ConstantLR()).SetName("Train_Adam_LowersLoss");
        yield return new TestCaseData(new AdamWOptimizer(), new ConstantLR()).SetName("Train_AdamW_LowersLoss");
        yield return new TestCaseData(new AdadeltaOptimizer(), new ConstantLR()).SetName("Train_Adadelta_LowersLoss");
        yield return new TestCaseData(new AdadeltaOptimizer(), new StepLR(1, 0.7)).SetName("Train_StepLR_LowersLoss");
        yield return new TestCaseData(new AdadeltaOptimizer(), new ExponentialLR(0.9)).SetName("Train_ExponentialLR_LowersLoss");
        yield return new TestCaseData(new SgdOptimizer { Momentum = 0.9 }, new OneCycleLR(MaxRate: 0.1)).SetName("Train_OneCycleLR_LowersLoss");
    }

    [TestCaseSource(nameof(Recipes))]
    [Category("Slow")]
    public void Train_Recipe_LowersLossOnSubset(OptimizerSettings optimizer, LearningRateSchedule schedule)
    {
        var data = TestData.MnistTrain.Take(256);
        using var network = Network.Create(CnnArchitectures.SeedNet, seed: 2);
        double before = NetworkTrainer.Evaluate(network, data).Loss;

        NetworkTrainer.Train(network, data, null, new CnnTrainer.Options { Epochs = 2, BatchSize = 32, Optimizer = optimizer, Schedule = schedule });

        double after = NetworkTrainer.Evaluate(network, data).Loss;
        TestContext.Out.WriteLine($"loss {before:F4} -> {after:F4}");
        Assert.That(after, Is.LessThan(0.8 * before), $"loss {before:F4} -> {after:F4}");
    }

    [Test]
    public void Validate_SettingOutOfRange_ThrowsNamingTheSetting()
    {
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => new CnnTrainer.Options { Epochs = 0 }.Validate())!.ParamName,
            Is.EqualTo(nameof(CnnTrainer.Options.Epochs)));
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => new CnnTrainer.Options { LabelSmoothing = 1 }.Validate())!.ParamName,
            Is.EqualTo(nameof(CnnTrainer.Options.LabelSmoothing)));
        Assert.That(Assert.Throws<ArgumentException>(() => new CnnTrainer.Options { ResumeFromCheckpoint = true }.Validate())!.ParamName,
            Is.EqualTo(nameof(CnnTrainer.Options.CheckpointPath)));
        Assert.That(() => new CnnTrainer.Options().Validate(), Throws.Nothing);
    }

    [Test]
    public void Train_DataThatDoesNotFit_ThrowsArgumentExceptionsBeforeTraining()
    {
        using var network = Network.Create(EngineFixtures.TrainNet, seed: 1);
        var data = EngineFixtures.RandomDataset(8, EngineFixtures.TrainNet.InputShape, seed: 1);
        var wrongShape = EngineFixtures.RandomDataset(8, TensorShape.Mnist, seed: 1);
        var wrongLabel = new DigitDataset(data.Pixels, [0, 1, 2, 3, 4, 5, 6, 10], data.Shape);

        Assert.Throws<ArgumentException>(() => NetworkTrainer.Train(network, data, null,
            new CnnTrainer.Options { Optimizer = new SgdOptimizer { Nesterov = true } }));
        Assert.That(Assert.Throws<ArgumentException>(() => NetworkTrainer.Train(network, wrongShape, null, new CnnTrainer.Options()))!.ParamName,
            Is.EqualTo("train"));
        Assert.That(Assert.Throws<ArgumentException>(() => NetworkTrainer.Train(network, data, wrongLabel, new CnnTrainer.Options()))!.Message,
            Does.Contain("Label 10"));
        Assert.Throws<ArgumentException>(() => NetworkTrainer.Train(network, data.Take(1), null, new CnnTrainer.Options()));
    }
}
