// NativeFailureTests.cs — libtorch failing to allocate becomes TorchOutOfMemoryException; the process and the network go on.
using DigitsML.Engine;
using DigitsML.Networks;

namespace DigitsML.Tests.Reliability;

[TestFixture]
public sealed class NativeFailureTests
{
    // (1, 1, 1) → Flatten → Linear(2^22) → Linear(2). A batch of 2^25 examples needs a (2^25, 2^22) float activation:
    // 2^49 bytes (512 TiB), past the 47-bit user address space, so the allocator refuses at once and nothing is touched.
    // The test itself allocates 128 MiB of input, 256 MiB of output and 64 MiB of weights.
    private static readonly NetworkDefinition Wide = new("Wide",
        [new Flatten(), new Linear(1 << 22), new Linear(2)], TensorShape.Image(1, 1, 1));

    [Test]
    public void Forward_AbsurdBatchForTheNetwork_ThrowsTorchOutOfMemoryAndNetworkStaysUsable()
    {
        using var network = Network.Create(Wide, seed: 1);
        const int count = 1 << 25;
        var inputs = new float[count];

        var e = Assert.Throws<TorchOutOfMemoryException>(() => network.Forward(inputs, count));

        TestContext.Out.WriteLine(e!.Message);
        Assert.That(e.Message, Does.Contain("forward pass of Wide").And.Contain("allocate"));
        float[] probabilities = network.Forward([0.5f, 1f], 2);
        Assert.That(probabilities, Has.Length.EqualTo(4));
        Assert.That(probabilities[0] + probabilities[1], Is.EqualTo(1f).Within(1e-5));
    }

    [Test]
    public void Evaluate_AbsurdBatchForTheNetwork_ThrowsTorchOutOfMemory()
    {
        using var network = Network.Create(Wide, seed: 1);
        const int count = 1 << 25;
        var data = new DigitDataset(new float[count], new int[count], TensorShape.Image(1, 1, 1));

        Assert.Throws<TorchOutOfMemoryException>(() => NetworkTrainer.Evaluate(network, data, batchSize: count));
        Assert.That(NetworkTrainer.Evaluate(network, data.Take(8)).Count, Is.EqualTo(8));
    }
}
