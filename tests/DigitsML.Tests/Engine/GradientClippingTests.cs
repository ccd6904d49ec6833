// GradientClippingTests.cs — CnnTrainer.Options.GradientClipNorm end to end: it changes what is trained (and a norm no
// gradient reaches changes nothing), it travels in the recipe's JSON form, and a checkpoint refuses a resume with another.
using DigitsML.Engine;
using DigitsML.Networks;
using DigitsML.Trainers;

namespace DigitsML.Tests.Engine;

public sealed class GradientClippingTests
{
    private static readonly TensorShape Shape = TensorShape.Image(1, 8, 8);

    private static DigitDataset Data => EngineFixtures.RandomDataset(64, Shape, seed: 1);

    private static CnnTrainer.Options Recipe(double? clip) => new()
    {
        Epochs = 2,
        BatchSize = 16,
        Optimizer = new SgdOptimizer { LearningRate = 0.5 },
        Schedule = new ConstantLR(),
        Seed = 7,
        GradientClipNorm = clip,
    };

    private static (IReadOnlyList<NamedTensor> State, IReadOnlyList<EpochProgress> History) Run(CnnTrainer.Options recipe)
    {
        using var network = Network.Create(EngineFixtures.TrainNet, seed: 3);
        var history = NetworkTrainer.Train(network, Data, null, recipe);
        return (network.GetState(), history);
    }

    [Test]
    public void Train_GradientClipNorm_ChangesTheTrajectoryAndRepeats()
    {
        var off = Run(Recipe(null));
        var clipped = Run(Recipe(0.01));
        var again = Run(Recipe(0.01));

        Assert.That(EngineFixtures.StatesEqual(clipped.State, off.State), Is.False, "clipping at 0.01 changed nothing");
        Assert.That(clipped.History.Select(h => h.TrainLoss), Is.Not.EqualTo(off.History.Select(h => h.TrainLoss)));
        Assert.That(EngineFixtures.StatesEqual(clipped.State, again.State), Is.True, "clipping is not repeatable");
    }

    [Test]
    public void Train_GradientClipNormNoGradientReaches_SameWeightsAsOff()
    {
        var off = Run(Recipe(null));
        var loose = Run(Recipe(1e12));

        Assert.That(EngineFixtures.StatesEqual(loose.State, off.State), Is.True, "a norm never exceeded must scale by exactly 1");
    }

    [TestCase(0.0)]
    [TestCase(-1.0)]
    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    public void Validate_GradientClipNormNotPositiveAndFinite_ThrowsNamingIt(double clip)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Recipe(clip).Validate());

        Assert.That(e!.ParamName, Is.EqualTo(nameof(CnnTrainer.Options.GradientClipNorm)));
    }

    [Test]
    public void ToJson_GradientClipNorm_RoundTripsAndIsAbsentWhenOff()
    {
        var recipe = Recipe(0.5);

        var read = CnnTrainer.Options.FromJson(recipe.ToJson());

        Assert.That(read.GradientClipNorm, Is.EqualTo(0.5));
        Assert.That(recipe.ToJson(), Does.Contain("\"gradientClipNorm\": 0.5"));
        Assert.That(Recipe(null).ToJson(), Does.Not.Contain("gradientClipNorm"));
        Assert.That(recipe.Describe(), Does.Contain("seed 7, gradient norm clipped at 0.5; augmentation none"));
    }

    [Test]
    public void Train_ResumeWithOtherGradientClipNorm_ThrowsArgumentExceptionNamingIt()
    {
        using var folder = new TemporaryDirectory();
        string checkpoint = Path.Combine(folder.Path, "clip.ckpt");
        using (var first = Network.Create(EngineFixtures.TrainNet, seed: 3))
            NetworkTrainer.Train(first, Data, null, Recipe(1) with { Epochs = 1, CheckpointPath = checkpoint });

        using var network = Network.Create(EngineFixtures.TrainNet, seed: 3);
        var resumed = Recipe(2) with { Epochs = 1, CheckpointPath = checkpoint, ResumeFromCheckpoint = true };
        var e = Assert.Throws<ArgumentException>(() => NetworkTrainer.Train(network, Data, null, resumed));

        Assert.That(e!.Message, Does.Contain("gradientClipNorm: 1 → 2"));
        using var same = Network.Create(EngineFixtures.TrainNet, seed: 3);
        Assert.That(() => NetworkTrainer.Train(same, Data, null, resumed with { GradientClipNorm = 1, Epochs = 1 }), Throws.Nothing,
            "the same recipe resumes");
    }
}
