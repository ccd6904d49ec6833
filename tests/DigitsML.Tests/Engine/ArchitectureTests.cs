// ArchitectureTests.cs — every architecture of the seed reports builds in libtorch with its stated parameter count,
// residual blocks infer and refuse shapes, activations can be swapped, and residual networks save and load.
using DigitsML.Engine;
using DigitsML.Networks;
using DigitsML.Trainers;
using DigitsML.Testing;

namespace DigitsML.Tests.Engine;

[TestFixture]
public sealed class ArchitectureTests
{
    [TestCase("M3", 1_124_180)]
    [TestCase("M5", 1_128_180)]
    [TestCase("M7", 2_291_972)]
    public void Summarize_AnEtAlModels_MatchThePaperParameterCounts(string name, long expected)
    {
        var definition = CnnArchitectures.All[name];

        Assert.That(definition.Summarize().TotalParameters, Is.EqualTo(expected));
        using var network = Network.Create(definition, seed: 1);
        Assert.That(network.ParameterCount, Is.EqualTo(expected));
    }

    [Test]
    public void All_EveryArchitecture_BuildsAndGivesTenProbabilities()
    {
        var input = new float[2 * 784];
        for (int i = 0; i < input.Length; i++)
            input[i] = (i * 37 % 101) / 100f;
        foreach (var (name, definition) in CnnArchitectures.All)
        {
            using var network = Network.Create(definition, seed: 2);
            float[] p = network.Forward(input, 2);
            Assert.That(p, Has.Length.EqualTo(20), name);
            Assert.That(p.Take(10).Sum(), Is.EqualTo(1f).Within(1e-4), name);
            Assert.That(network.ParameterCount, Is.EqualTo(definition.Summarize().TotalParameters), name);
        }
    }

    [Test]
    public void Summarize_PooledAndOtherModels_HaveTheReportsShapes()
    {
        // The last flat vector before the head: C1–C3 6272, the deeper PyTorch net 1152, the ResNet 4608, Keras 1600.
        Assert.That(FlatWidth(CnnArchitectures.C1), Is.EqualTo(6272));
        Assert.That(FlatWidth(CnnArchitectures.C2), Is.EqualTo(6272));
        Assert.That(FlatWidth(CnnArchitectures.C3), Is.EqualTo(6272));
        Assert.That(FlatWidth(CnnArchitectures.DeepPyTorchNet), Is.EqualTo(1152));
        Assert.That(FlatWidth(CnnArchitectures.ResNetReduced), Is.EqualTo(4608));
        Assert.That(FlatWidth(CnnArchitectures.KerasNet), Is.EqualTo(1600));
        Assert.That(CnnArchitectures.Mlp300.Summarize().TotalParameters, Is.EqualTo(784 * 300 + 300 + 300 * 10 + 10));
        Assert.That(CnnArchitectures.Mlp800.Summarize().TotalParameters, Is.EqualTo(784 * 800 + 800 + 800 * 10 + 10));
    }

    private static int FlatWidth(NetworkDefinition definition) =>
        definition.Summarize().Layers.First(l => l.Layer is Flatten).OutputShape.Channels;

    [Test]
    public void Summarize_ResidualWithoutProjectionWhereChannelsChange_RefusedNamingBothShapes()
    {
        var definition = new NetworkDefinition("Bad", [new Conv2d(8, 3), new Residual([new Conv2d(16, 3, Padding: 1)]), new Flatten(), new Linear(10)]);

        var e = Assert.Throws<InvalidNetworkException>(() => definition.Summarize());

        Assert.That(e!.Message, Does.Contain("layer 1").And.Contain("(16, 26, 26)").And.Contain("(8, 26, 26)"));
    }

    [Test]
    public void Summarize_ResidualBodyLayerThatCannotFit_RefusedNamingTheBranchLayer()
    {
        var definition = new NetworkDefinition("Bad", [new Residual([new Conv2d(1, 30)]), new Flatten(), new Linear(10)]);

        var e = Assert.Throws<InvalidNetworkException>(() => definition.Summarize());

        Assert.That(e!.Message, Does.Contain("body layer 0").And.Contain("30×30"));
    }

    [Test]
    public void Summarize_HugePadding_RefusedInsteadOfOverflowing()
    {
        var definition = new NetworkDefinition("Padded", [new Conv2d(1, 3, Padding: int.MaxValue), new Flatten(), new Linear(10)]);

        var e = Assert.Throws<InvalidNetworkException>(() => definition.Summarize());

        Assert.That(e!.Message, Does.Contain("far too large"));
    }

    [Test]
    public void Create_ResidualBlock_NamesStateLikePyTorchModules()
    {
        using var network = Network.Create(CnnArchitectures.ResNetReduced, seed: 1);
        var names = network.GetState().Select(t => t.Name).ToHashSet();

        // Layer 5 is the first block: 8 -> 16 channels, so it has a projection shortcut.
        Assert.That(names, Does.Contain("5.body.0.weight"));
        Assert.That(names, Does.Contain("5.body.4.running_var"));
        Assert.That(names, Does.Contain("5.shortcut.0.weight"));
        // Layer 7 is the second block: 16 -> 16, the identity shortcut holds nothing.
        Assert.That(names.Any(n => n.StartsWith("7.shortcut.", StringComparison.Ordinal)), Is.False);
    }

    [Test]
    public void Forward_IdentityResidualWithZeroBody_ReturnsTheInputThroughTheHead()
    {
        // body(x) = 0·x, so y = x: the network equals Flatten → Linear alone with the same weights.
        var residual = new NetworkDefinition("R", [new Residual([new Conv2d(1, 1, Bias: false)]), new Flatten(), new Linear(10)]);
        var plain = new NetworkDefinition("P", [new Flatten(), new Linear(10)]);
        using var a = Network.Create(residual, seed: 5);
        using var b = Network.Create(plain, seed: 5);
        var state = a.GetState().ToList();
        state[0] = state[0] with { Data = new float[1] };
        a.SetState(state);
        b.SetState(state.Skip(1).Select(t => t with { Name = t.Name.Replace("2.", "1.", StringComparison.Ordinal) }));
        var input = Enumerable.Range(0, 784).Select(i => i / 784f).ToArray();

        Assert.That(a.Forward(input, 1, probabilities: false), Is.EqualTo(b.Forward(input, 1, probabilities: false)).Within(1e-6));
    }

    [Test]
    public void WithActivation_Tanh_ReplacesEveryActivationIncludingResidualBodies()
    {
        var swapped = CnnArchitectures.WithActivation(CnnArchitectures.ResNetReduced, new Tanh());

        static IEnumerable<Layer> Flat(IEnumerable<Layer> layers) =>
            layers.SelectMany(l => l is Residual r ? Flat(r.Body.Concat(r.Shortcut ?? [])) : [l]);
        var all = Flat(swapped.Layers).ToList();
        Assert.That(all.OfType<ReLU>(), Is.Empty);
        Assert.That(all.OfType<Tanh>().Count(), Is.EqualTo(Flat(CnnArchitectures.ResNetReduced.Layers).OfType<ReLU>().Count()));
        Assert.That(swapped.Summarize().TotalParameters, Is.EqualTo(CnnArchitectures.ResNetReduced.Summarize().TotalParameters));
        Assert.That(swapped.Name, Is.EqualTo("ResNetReduced-Tanh"));
    }

    [Test]
    public void WithActivation_NotAnActivation_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => CnnArchitectures.WithActivation(CnnArchitectures.SeedNet, new Flatten()));
    }

    [Test]
    public void SaveLoad_ResidualNetworkInCheckpointArchive_PredictsIdentically()
    {
        using var network = Network.Create(CnnArchitectures.ResNetReduced, seed: 3);
        var input = Enumerable.Range(0, 2 * 784).Select(i => (i % 255) / 255f).ToArray();

        // The archive a training checkpoint keeps its network in.
        var entries = new Dictionary<string, byte[]>();
        DigitsML.IO.NetworkSerializer.AddEntries(entries, "", network);
        using var archive = new MemoryStream();
        DigitsML.IO.ModelArchive.Write(archive, entries);
        archive.Position = 0;
        using var loaded = DigitsML.IO.NetworkSerializer.FromEntries(DigitsML.IO.ModelArchive.Read(archive, "resnet.zip"), "", default, "resnet.zip");

        Assert.That(loaded.Definition.Summarize().TotalParameters, Is.EqualTo(network.Summary.TotalParameters));
        Assert.That(loaded.Forward(input, 2), Is.EqualTo(network.Forward(input, 2)));
    }
}
