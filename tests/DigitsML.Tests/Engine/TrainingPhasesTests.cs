// TrainingPhasesTests.cs — every epoch reports where its time went, and the phases account for the epoch's time.
using DigitsML.Engine;
using DigitsML.Networks;
using DigitsML.Trainers;

namespace DigitsML.Tests.Engine;

public sealed class TrainingPhasesTests
{
    [Test]
    public void Train_EachEpoch_ReportsPhasesThatFitInsideItsSeconds()
    {
        var shape = TensorShape.Image(1, 8, 8);
        using var network = Network.Create(EngineFixtures.TrainNet, seed: 3);
        var options = new CnnTrainer.Options
        {
            Epochs = 2, BatchSize = 16, Optimizer = new AdamOptimizer(), Seed = 1,
            Augmentation = ImageAugmentation.AnEtAl, AverageWeights = true,
        };

        var history = NetworkTrainer.Train(network, EngineFixtures.RandomDataset(96, shape, 1), EngineFixtures.RandomDataset(32, shape, 2), options);

        foreach (var epoch in history)
        {
            var p = epoch.Phases!;
            Assert.That(new[] { p.Data, p.Augmentation, p.Forward, p.Backward, p.Optimizer, p.Averaging, p.Evaluation },
                Is.All.GreaterThan(0), $"epoch {epoch.Epoch}: every phase the recipe has took some time");
            Assert.That(p.Total, Is.LessThanOrEqualTo(epoch.Seconds), "the phases are parts of the epoch");
        }
    }

    [Test]
    public void Train_WithoutAugmentationAveragingOrValidation_ThosePhasesAreZero()
    {
        using var network = Network.Create(EngineFixtures.TrainNet, seed: 3);

        var history = NetworkTrainer.Train(network, EngineFixtures.RandomDataset(64, TensorShape.Image(1, 8, 8), 1), null,
            new CnnTrainer.Options { Epochs = 1, BatchSize = 16, Seed = 1 });

        var p = history[0].Phases!;
        Assert.That((p.Augmentation, p.Averaging, p.Evaluation), Is.EqualTo((0.0, 0.0, 0.0)));
        Assert.That(p.ToString(), Does.StartWith("data ").And.Contain("forward ").And.Contain("evaluation 0.00s"));
    }
}
