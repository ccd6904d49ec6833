// LifetimeTests.cs — a network's native memory: dispose is idempotent and every later use throws ObjectDisposedException.
using DigitsML.Engine;
using DigitsML.Trainers;
using DigitsML.Networks;

namespace DigitsML.Tests.Engine;

[TestFixture]
public sealed class LifetimeTests
{
    private static readonly DigitDataset Data = EngineFixtures.RandomDataset(8, TensorShape.Image(1, 8, 8), seed: 1);

    [Test]
    public void Dispose_Twice_IsHarmless()
    {
        var network = Network.Create(EngineFixtures.TrainNet);

        network.Dispose();

        Assert.DoesNotThrow(network.Dispose);
        Assert.DoesNotThrow(network.Dispose);
    }

    [Test]
    public void Dispose_OneNetwork_OthersKeepWorking()
    {
        using var kept = Network.Create(EngineFixtures.TrainNet, seed: 1);
        var expected = kept.Forward(Data.Pixels, Data.Count);

        Network.Create(EngineFixtures.TrainNet, seed: 2).Dispose();

        Assert.That(kept.Forward(Data.Pixels, Data.Count), Is.EqualTo(expected));
    }

    private static IEnumerable<TestCaseData> Uses()
    {
        yield return Use("Forward", n => n.Forward(Data.Pixels, Data.Count));
        yield return Use("GetState", n => n.GetState());
        yield return Use("SetState", n => n.SetState([]));
        yield return Use("ParameterCount", n => _ = n.ParameterCount);
        yield return Use("Train", n => NetworkTrainer.Train(n, Data, null, new CnnTrainer.Options { Epochs = 1 }));
        yield return Use("Evaluate", n => NetworkTrainer.Evaluate(n, Data));
    }

    private static TestCaseData Use(string what, Action<Network> use) =>
        new TestCaseData(use).SetName($"{what}_AfterDispose_ThrowsObjectDisposedException");

    [TestCaseSource(nameof(Uses))]
    public void Use_AfterDispose_Throws(Delegate use) // an Action<Network>; Network is internal, test methods public
    {
        var network = Network.Create(EngineFixtures.TrainNet);
        network.Dispose();

        var e = Assert.Throws<ObjectDisposedException>(() => ((Action<Network>)use)(network));

        Assert.That(e!.ObjectName, Does.Contain(nameof(Network)));
        Assert.That(network.Definition.Name, Is.EqualTo("TrainNet"), "managed facts stay readable");
    }
}
