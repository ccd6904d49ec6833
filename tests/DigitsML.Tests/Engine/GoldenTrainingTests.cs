// GoldenTrainingTests.cs — training steps (loss, backward, optimizer, BatchNorm statistics) against PyTorch's, from tests/golden/make_golden.py.
using DigitsML.Engine;
using DigitsML.Networks;
using DigitsML.Trainers;

namespace DigitsML.Tests.Engine;

[TestFixture]
public sealed class GoldenTrainingTests
{
    // make_golden.py's TRAIN_CASES and TRAIN_EPOCHS: each epoch is one step on the single batch of 10 examples.
    private const int Epochs = 3;

    private static IEnumerable<TestCaseData> Cases()
    {
        yield return new TestCaseData("sgd", new SgdOptimizer { LearningRate = 0.1, Momentum = 0.9, Nesterov = true, WeightDecay = 0.01 },
            new ConstantLR(), 0.0).SetName("Train_SgdNesterovMomentum_MatchesPyTorch");
        yield return new TestCaseData("adadelta", new AdadeltaOptimizer { LearningRate = 1.0, Rho = 0.9, Epsilon = 1e-6 },
            new StepLR(1, 0.7), 0.0).SetName("Train_AdadeltaWithStepLR_MatchesPyTorch");
        yield return new TestCaseData("adam", new AdamOptimizer { LearningRate = 0.01 },
            new ConstantLR(), 0.0).SetName("Train_Adam_MatchesPyTorch");
        yield return new TestCaseData("adamw", new AdamWOptimizer { LearningRate = 0.01, WeightDecay = 0.01 },
            new ConstantLR(), 0.0).SetName("Train_AdamW_MatchesPyTorch");
        yield return new TestCaseData("smoothed", new SgdOptimizer { LearningRate = 0.2 }, new ConstantLR(), 0.1)
            .SetName("Train_SgdWithLabelSmoothing_MatchesPyTorch");
    }

    [TestCaseSource(nameof(Cases))]
    public void Train_OneBatchPerEpoch_StateLossAndLogitsMatchPyTorch(string name, OptimizerSettings optimizer, LearningRateSchedule schedule,
        double labelSmoothing)
    {
        var golden = EngineFixtures.LoadGolden("train_step.safetensors");
        var input = golden["input"];
        var data = new DigitDataset(input.Data, golden["labels"].Data.Select(l => (int)l).ToArray(), EngineFixtures.TrainNet.InputShape);
        using var network = Network.Create(EngineFixtures.TrainNet, seed: 1);
        network.SetState(network.GetState().Select(t => golden["init." + t.Name] with { Name = t.Name }));
        var options = new TrainingRun(new CnnTrainer.Options
        {
            Epochs = Epochs, BatchSize = data.Count, Optimizer = optimizer, Schedule = schedule, LabelSmoothing = labelSmoothing,
        }, Shuffle: false);

        var history = NetworkTrainer.Train(network, data, null, options);

        var losses = golden[name + ".loss"].Data;
        Assert.That(history, Has.Count.EqualTo(Epochs));
        for (int e = 0; e < Epochs; e++)
            Assert.That(history[e].TrainLoss, Is.EqualTo(losses[e]).Within(1e-5), $"loss of step {e + 1}");
        foreach (var t in network.GetState())
            EngineFixtures.AssertClose(t.Data, golden[$"{name}.{t.Name}"].Data, 1e-5, $"{name}: {t.Name} after {Epochs} steps");
        EngineFixtures.AssertClose(network.Forward(input.Data, data.Count, probabilities: false), golden[name + ".logits"].Data, 1e-4,
            $"{name}: eval-mode logits after training");
    }

    [Test]
    public void Train_OneStep_MovesBatchNormRunningStatistics()
    {
        var golden = EngineFixtures.LoadGolden("train_step.safetensors");
        var data = new DigitDataset(golden["input"].Data, golden["labels"].Data.Select(l => (int)l).ToArray(), EngineFixtures.TrainNet.InputShape);
        using var network = Network.Create(EngineFixtures.TrainNet, seed: 1);

        NetworkTrainer.Train(network, data, null, new TrainingRun(new CnnTrainer.Options { Epochs = 1, BatchSize = data.Count }, Shuffle: false));

        var state = network.GetState().ToDictionary(t => t.Name);
        Assert.That(state["2.running_mean"].Data, Has.Some.Not.EqualTo(0f), "running mean still at its initial 0");
        Assert.That(state["2.running_var"].Data, Has.Some.Not.EqualTo(1f), "running variance still at its initial 1");
    }
}
