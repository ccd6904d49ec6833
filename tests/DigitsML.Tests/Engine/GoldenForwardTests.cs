// GoldenForwardTests.cs — SeedNet's forward pass against PyTorch's on the same weights and inputs (tests/golden/make_golden.py).
using DigitsML.Engine;
using DigitsML.Trainers;
using DigitsML.Networks;

namespace DigitsML.Tests.Engine;

[TestFixture]
public sealed class GoldenForwardTests
{
    private IReadOnlyDictionary<string, NamedTensor> golden = null!;
    private Network network = null!;

    [OneTimeSetUp]
    public void LoadGoldenWeights()
    {
        golden = EngineFixtures.LoadGolden("seednet.safetensors");
        network = Network.Create(CnnArchitectures.SeedNet, seed: 99);
        network.SetState(network.GetState().Select(t => golden[t.Name]));
    }

    [OneTimeTearDown]
    public void DisposeNetwork() => network.Dispose();

    private NamedTensor Input => golden["input"];

    private int Count => Input.Shape[0];

    [Test]
    public void GetState_SeedNet_NamesMatchPyTorchSequential()
    {
        var weights = golden.Keys.Where(k => k is not ("input" or "logits" or "probabilities"));

        Assert.That(network.GetState().Select(t => t.Name), Is.EquivalentTo(weights));
        Assert.That(Input.Shape, Is.EqualTo(new[] { 4, 1, 28, 28 }));
    }

    [Test]
    public void SetState_GoldenWeights_ReadBackBitForBit()
    {
        foreach (var t in network.GetState())
            Assert.That(t.Data.AsSpan().SequenceEqual(golden[t.Name].Data), Is.True, t.Name);
    }

    [Test]
    public void Forward_Logits_MatchPyTorchWithin1e4()
    {
        float[] logits = network.Forward(Input.Data, Count, probabilities: false);

        EngineFixtures.AssertClose(logits, golden["logits"].Data, 1e-4, "logits");
    }

    [Test]
    public void Forward_Probabilities_MatchPyTorchSoftmaxWithin1e5()
    {
        float[] probabilities = network.Forward(Input.Data, Count);

        EngineFixtures.AssertClose(probabilities, golden["probabilities"].Data, 1e-5, "probabilities");
        for (int i = 0; i < Count; i++)
            Assert.That(probabilities.AsSpan(i * 10, 10).ToArray().Sum(), Is.EqualTo(1f).Within(1e-5), $"row {i}");
    }

    [Test]
    public void Evaluate_GoldenInputs_ProbabilitiesAndLossMatchPyTorch()
    {
        var expected = golden["probabilities"].Data;
        // Label each row with PyTorch's top class, so accuracy is 1 and the loss is the mean of −log p(top).
        var labels = Enumerable.Range(0, Count).Select(i => Array.IndexOf(expected, expected.AsSpan(i * 10, 10).ToArray().Max(), i * 10) - i * 10).ToArray();
        var data = new DigitDataset(Input.Data, labels, TensorShape.Mnist);

        var result = NetworkTrainer.Evaluate(network, data, batchSize: 3, keepProbabilities: true);

        EngineFixtures.AssertClose(result.Probabilities!, expected, 1e-5, "probabilities");
        Assert.That(result.Accuracy, Is.EqualTo(1.0));
        double loss = labels.Select((l, i) => -Math.Log(expected[i * 10 + l])).Average();
        Assert.That(result.Loss, Is.EqualTo(loss).Within(1e-4));
    }
}
