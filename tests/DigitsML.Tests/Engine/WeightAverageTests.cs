// WeightAverageTests.cs — the moving average of weights: warm-up formula, swap round trip, lifetime.
using DigitsML.Engine;
using DigitsML.Networks;

namespace DigitsML.Tests.Engine;

[TestFixture]
public sealed class WeightAverageTests
{
    private static NetworkDefinition Small => new("Small", [new Flatten(), new Linear(3), new BatchNorm1d()], TensorShape.Vector(4));

    private static List<NamedTensor> Scaled(IReadOnlyList<NamedTensor> state, float factor) =>
        state.Select(t => t with { Data = t.Data.Select(v => v * factor + 1f).ToArray() }).ToList();

    [Test]
    public void Update_TwoSteps_FollowsTheWarmUpFormula()
    {
        using var network = Network.Create(Small, seed: 1);
        var start = network.GetState();
        using var average = new WeightAverage(network, 0.999);
        var next = Scaled(start, 2f);
        network.SetState(next);

        average.Update(step: 0);  // d = min(0.999, 1/10) = 0.1
        average.Swap();
        var averaged = network.GetState();

        for (int k = 0; k < start.Count; k++)
            for (int i = 0; i < start[k].Data.Length; i++)
                Assert.That(averaged[k].Data[i], Is.EqualTo(0.1f * start[k].Data[i] + 0.9f * next[k].Data[i]).Within(1e-5), start[k].Name);
    }

    [Test]
    public void Swap_Twice_RestoresTheLiveWeights()
    {
        using var network = Network.Create(Small, seed: 2);
        using var average = new WeightAverage(network, 0.9);
        network.SetState(Scaled(network.GetState(), 3f));
        var live = network.GetState();
        average.Update(step: 100);

        average.Swap();
        Assert.That(network.GetState()[0].Data, Is.Not.EqualTo(live[0].Data));
        average.Swap();

        Assert.That(network.GetState().Select(t => t.Data), Is.EqualTo(live.Select(t => t.Data)));
    }

    [Test]
    public void Constructor_DecayOutOfRange_Throws_AndDisposeIsIdempotent()
    {
        using var network = Network.Create(Small, seed: 3);
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new WeightAverage(network, 1.0));
        var average = new WeightAverage(network, 0.5);
        average.Dispose();
        average.Dispose();
        Assert.Throws<ObjectDisposedException>(() => average.Update(0));
    }
}
