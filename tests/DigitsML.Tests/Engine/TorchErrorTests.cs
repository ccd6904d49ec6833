// TorchErrorTests.cs — errors raised inside libtorch or by bad calls become .NET exceptions, and the process carries on.
using DigitsML.Engine;
using DigitsML.Networks;
using DigitsML.Trainers;
using TorchSharp;
using static TorchSharp.torch;

namespace DigitsML.Tests.Engine;

[TestFixture]
public sealed class TorchErrorTests
{
    /// <summary>A layer whose shape inference claims a flat (100) input suits it but whose module is a Linear(100 → 10):
    /// C# shape checks pass it, so libtorch meets 784 features where 100 are expected when the network first runs.</summary>
    private sealed record LyingLinear : Layer
    {
        internal override TensorShape InferOutput(TensorShape input) => TensorShape.Vector(10);

        internal override nn.Module<Tensor, Tensor> CreateModule(TensorShape input, ModuleContext context) => nn.Linear(100, 10);
    }

    private static readonly NetworkDefinition Wrong = new("Wrong", [new Flatten(), new LyingLinear()]);

    [Test]
    public void Create_LibtorchRejectsTheNetwork_ThrowsTorchExceptionWithLibtorchMessage()
    {
        var e = Assert.Throws<TorchException>(() => Network.Create(Wrong).Dispose());

        Assert.That(e!.Message, Does.Contain("mat1 and mat2 shapes cannot be multiplied"));
        Assert.That(e.Message, Does.Contain("784").And.Contain("100"));
        Assert.That(e.Message, Does.Contain("building network Wrong on cpu"));
        Assert.That(e.Message, Does.Not.Contain("Exception raised from"), "libtorch's C++ backtrace is dropped");
    }

    [Test]
    public void Create_AfterLibtorchError_ProcessAndNextNetworkWork()
    {
        for (int attempt = 0; attempt < 3; attempt++)
            Assert.Throws<TorchException>(() => Network.Create(Wrong).Dispose());

        using var network = Network.Create(CnnArchitectures.SeedNet, seed: 3);
        float[] probabilities = network.Forward(new float[2 * 784], 2);

        Assert.That(probabilities, Has.Length.EqualTo(20));
        Assert.That(probabilities.Take(10).Sum(), Is.EqualTo(1f).Within(1e-5));
    }

    [Test]
    public void Forward_WrongInputLength_ThrowsArgumentException()
    {
        using var network = Network.Create(CnnArchitectures.SeedNet);

        var e = Assert.Throws<ArgumentException>(() => network.Forward(new float[783], 1));

        Assert.That(e!.Message, Does.Contain("784").And.Contain("783"));
        Assert.Throws<ArgumentException>(() => network.Forward(new float[784], 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => network.Forward([], 0));
    }

    private static IEnumerable<TestCaseData> BadStates()
    {
        yield return new TestCaseData(
                (Func<List<NamedTensor>, List<NamedTensor>>)(s => s.Select(t => t.Name == "11.bias" ? t with { Shape = [5, 2] } : t).ToList()),
                new[] { "11.bias", "(10)", "(5, 2)" })
            .SetName("SetState_WrongShape_ThrowsArgumentExceptionNamingTensorAndWritesNothing");
        yield return new TestCaseData(
                (Func<List<NamedTensor>, List<NamedTensor>>)(s => s.Where(t => t.Name != "8.bias").ToList()),
                new[] { "8.bias", "missing" })
            .SetName("SetState_MissingTensor_ThrowsArgumentExceptionNamingTensorAndWritesNothing");
        yield return new TestCaseData(
                (Func<List<NamedTensor>, List<NamedTensor>>)(s => [.. s, new NamedTensor("12.weight", [2], [1, 2])]),
                new[] { "12.weight", "not part of" })
            .SetName("SetState_UnknownTensor_ThrowsArgumentExceptionNamingTensorAndWritesNothing");
        yield return new TestCaseData(
                (Func<List<NamedTensor>, List<NamedTensor>>)(s => [.. s, s[1]]),
                new[] { "1.bias", "twice" })
            .SetName("SetState_DuplicateTensor_ThrowsArgumentExceptionNamingTensorAndWritesNothing");
        yield return new TestCaseData(
                (Func<List<NamedTensor>, List<NamedTensor>>)(s => s.Select(t => t.Name == "3.bias" ? t with { Data = new float[15] } : t).ToList()),
                new[] { "3.bias", "15 values" })
            .SetName("SetState_DataShorterThanShape_ThrowsArgumentExceptionNamingTensorAndWritesNothing");
    }

    [TestCaseSource(nameof(BadStates))]
    public void SetState_BadTensors_Refused(Delegate spoil, string[] fragments) // NamedTensor is internal, test methods public
    {
        using var network = Network.Create(CnnArchitectures.SeedNet, seed: 5);
        var before = network.GetState();
        // Every other tensor is valid and different, so a partial write would show.
        var changed = before.Select(t => t with { Data = Enumerable.Repeat(0.25f, t.Data.Length).ToArray() }).ToList();

        var e = Assert.Throws<ArgumentException>(() => network.SetState(((Func<List<NamedTensor>, List<NamedTensor>>)spoil)(changed)));

        foreach (string fragment in fragments)
            Assert.That(e!.Message, Does.Contain(fragment));
        Assert.That(EngineFixtures.StatesEqual(network.GetState(), before), Is.True, "the state changed");
    }

    [Test]
    public void SetState_ValidTensorsInAnyOrder_WritesThemAll()
    {
        using var network = Network.Create(EngineFixtures.TrainNet, seed: 5);
        var target = network.GetState()
            .Select((t, i) => t with { Data = Enumerable.Range(0, t.Data.Length).Select(k => 0.01f * (k + i)).ToArray() })
            .Reverse().ToList();

        network.SetState(target);

        var after = network.GetState().ToDictionary(t => t.Name);
        foreach (var t in target)
            Assert.That(after[t.Name].Data, Is.EqualTo(t.Data), t.Name);
    }
}
