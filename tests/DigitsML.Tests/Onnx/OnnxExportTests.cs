// OnnxExportTests.cs — every architecture and every layer kind, exported to ONNX and scored by ONNX Runtime, gives
// the probabilities and logits libtorch gives; the graph has the promised names, shapes, opset and initializers.
using DigitsML.Engine;
using DigitsML.Networks;
using DigitsML.Onnx;
using DigitsML.Onnx.Graph;
using DigitsML.Tests.Engine;
using DigitsML.Trainers;
using Microsoft.ML.OnnxRuntime;

namespace DigitsML.Tests.Onnx;

[TestFixture]
public sealed class OnnxExportTests
{
    private const double Tolerance = 1e-5;
    private static readonly OnnxExportOptions WithLogits = new() { LogitsName = "Logits" };

    private static IEnumerable<string> Architectures => CnnArchitectures.All.Keys;

    [TestCaseSource(nameof(Architectures))]
    public void ToBytes_EveryArchitecture_OnnxRuntimeScoresAsLibtorch(string name)
    {
        using var network = Network.Create(CnnArchitectures.All[name], seed: 11);
        OnnxFixtures.RandomizeBatchNorm(network, seed: 12);

        AssertScoresAsNetwork(network, count: 5, seed: 13);
    }

    /// <summary>Every layer kind with settings away from the defaults: a strided padded convolution, BatchNorm with
    /// its own epsilon, LeakyReLU's slope, padded strided pools (AvgPool counting the padding, as PyTorch does),
    /// Sigmoid, Tanh, both dropouts, a residual inside a residual with a projection shortcut, Linear without bias.</summary>
    public static NetworkDefinition EveryLayer { get; } = new("EveryLayer",
    [
        new Normalize(0.25, 0.5),
        new Conv2d(6, 3, Stride: 2, Padding: 1),  // (1, 28, 28) -> (6, 14, 14)
        new BatchNorm2d(Epsilon: 1e-3),
        new LeakyReLU(0.2),
        new MaxPool2d(3, Stride: 2, Padding: 1),  // -> (6, 7, 7)
        new Residual([new Conv2d(6, 3, Padding: 1), new Sigmoid()]),
        new Residual(
            [new Residual([new Conv2d(6, 1), new Tanh()]), new Conv2d(8, 3, Padding: 1, Bias: false), new BatchNorm2d()],
            [new Conv2d(8, 1, Bias: false), new BatchNorm2d(Epsilon: 1e-4)]), // -> (8, 7, 7)
        new Dropout2d(0.3),
        new AvgPool2d(3, Stride: 2, Padding: 1),  // -> (8, 4, 4)
        new Tanh(),
        new Flatten(),                            // -> (128)
        new Linear(16, Bias: false), new BatchNorm1d(Epsilon: 1e-2), new ReLU(), new Dropout(0.2),
        new Linear(10),
    ]);

    /// <summary>A network over flat vectors: the input is (batch, 20) and Flatten leaves it as it is.</summary>
    public static NetworkDefinition FlatInput { get; } = new("FlatInput",
        [new Flatten(), new Linear(32), new BatchNorm1d(), new Tanh(), new Dropout(), new Linear(4, Bias: false)],
        TensorShape.Vector(20));

    [Test]
    public void ToBytes_EveryLayerKindWithNonDefaultSettings_OnnxRuntimeScoresAsLibtorch()
    {
        using var network = Network.Create(EveryLayer, seed: 21);
        OnnxFixtures.RandomizeBatchNorm(network, seed: 22);

        AssertScoresAsNetwork(network, count: 5, seed: 23);
    }

    [Test]
    public void ToBytes_FlatVectorInput_InputIsBatchByFeatures()
    {
        using var network = Network.Create(FlatInput, seed: 31);
        OnnxFixtures.RandomizeBatchNorm(network, seed: 32);

        AssertScoresAsNetwork(network, count: 5, seed: 33);
        using var session = new InferenceSession(OnnxExport.ToBytes(network));
        Assert.That(session.InputMetadata["Features"].Dimensions, Is.EqualTo(new[] { -1, 20 }));
        Assert.That(session.OutputMetadata["Score"].Dimensions, Is.EqualTo(new[] { -1, 4 }));
    }

    [Test]
    public void ToBytes_LeakyReLUWithSlopeZero_WritesTheZeroAlpha()
    {
        // Without `optional` in the .proto a zero float would not be written and ONNX's default slope 0.01 would apply.
        var definition = new NetworkDefinition("ZeroSlope", [new Normalize(0.5, 0.1), new LeakyReLU(0), new Flatten(), new Linear(10)]);
        using var network = Network.Create(definition, seed: 41);

        var model = ModelProto.Parser.ParseFrom(OnnxExport.ToBytes(network));
        var alpha = model.Graph.Node.Single(n => n.OpType == "LeakyRelu").Attribute.Single();

        Assert.That(alpha.Name, Is.EqualTo("alpha"));
        Assert.That(alpha.HasF, Is.True);
        Assert.That(alpha.F, Is.Zero);
        AssertScoresAsNetwork(network, count: 3, seed: 42);
    }

    [TestCase(1)]
    [TestCase(7)]
    public void ToBytes_AnyBatchSize_ScoresEveryExample(int count)
    {
        using var network = Network.Create(CnnArchitectures.DigitNet, seed: 51);
        OnnxFixtures.RandomizeBatchNorm(network, seed: 52);

        AssertScoresAsNetwork(network, count, seed: 53 + count);
    }

    [Test]
    public void ToBytes_OneSession_TakesBatchesOfDifferentSizes()
    {
        using var network = Network.Create(CnnArchitectures.ResNetReduced, seed: 61);
        OnnxFixtures.RandomizeBatchNorm(network, seed: 62);
        using var session = new InferenceSession(OnnxExport.ToBytes(network));

        foreach (int count in new[] { 1, 7, 2 })
        {
            float[] inputs = OnnxFixtures.RandomInputs(count, TensorShape.Mnist, seed: 63 + count);
            float[] score = OnnxFixtures.Score(session, inputs, count, TensorShape.Mnist)["Score"];
            EngineFixtures.AssertClose(score, network.Forward(inputs, count), Tolerance, $"ResNetReduced, batch of {count}");
        }
    }

    [Test]
    public void ToBytes_SeedNet_GraphHasTheDocumentedInterface()
    {
        using var network = Network.Create(CnnArchitectures.SeedNet, seed: 71);

        var model = ModelProto.Parser.ParseFrom(OnnxExport.ToBytes(network, WithLogits));

        Assert.That(model.IrVersion, Is.EqualTo(8));
        Assert.That(model.OpsetImport.Select(o => (o.Domain, o.Version)), Is.EqualTo(new[] { ("", 17L) }));
        Assert.That(model.ProducerName, Is.EqualTo("DigitsML"));
        Assert.That(model.Graph.Name, Is.EqualTo("SeedNet"));
        Assert.That(model.Graph.Input.Select(Describe), Is.EqualTo(new[] { "Features[batch,1,28,28]" }));
        Assert.That(model.Graph.Output.Select(Describe), Is.EqualTo(new[] { "Score[batch,10]", "Logits[batch,10]" }));
        Assert.That(model.Graph.Node.Select(n => n.OpType), Is.EqualTo(new[]
        {
            "Sub", "Div", "Conv", "Relu", "Conv", "Relu", "MaxPool", "Flatten", "Gemm", "Relu", "Gemm", "Softmax", "Identity",
        }), "dropout leaves no node");
        Assert.That(model.Graph.Initializer.Where(t => t.Dims.Count > 0).Select(t => t.Name),
            Is.EquivalentTo(network.GetState().Select(t => t.Name)), "weights keep PyTorch's state names");
        Assert.That(model.Graph.Node.Single(n => n.OpType == "Softmax").Attribute.Single().I, Is.EqualTo(1), "softmax over classes");
    }

    [Test]
    public void ToBytes_BatchNormNetwork_ExportsRunningStatisticsAsInitializers()
    {
        using var network = Network.Create(CnnArchitectures.DigitNet, seed: 81);
        OnnxFixtures.RandomizeBatchNorm(network, seed: 82);

        var model = ModelProto.Parser.ParseFrom(OnnxExport.ToBytes(network));
        var initializers = model.Graph.Initializer.ToDictionary(t => t.Name);

        foreach (var tensor in network.GetState())
        {
            Assert.That(initializers, Does.ContainKey(tensor.Name));
            var written = initializers[tensor.Name];
            Assert.That(written.Dims, Is.EqualTo(tensor.Shape.Select(d => (long)d)), tensor.Name);
            Assert.That(written.RawData.Span.ToArray(), Is.EqualTo(System.Runtime.InteropServices.MemoryMarshal.AsBytes(tensor.Data.AsSpan()).ToArray()),
                tensor.Name);
        }
        Assert.That(initializers.Keys, Does.Contain("2.running_mean").And.Contain("2.running_var"));
    }

    [Test]
    public void ToBytes_ResidualNetwork_NamesInitializersAsTheResidualModule()
    {
        using var network = Network.Create(CnnArchitectures.ResNetReduced, seed: 91);

        var names = ModelProto.Parser.ParseFrom(OnnxExport.ToBytes(network)).Graph.Initializer.Select(t => t.Name).ToList();

        Assert.That(names, Does.Contain("5.body.0.weight").And.Contain("5.body.4.running_var").And.Contain("5.shortcut.0.weight"));
        Assert.That(names, Does.Not.Contain("7.shortcut.0.weight"), "the second block's shortcut is the identity");
    }

    /// <summary>Exports <paramref name="network"/> with logits, scores <paramref name="count"/> random images in ONNX
    /// Runtime and compares probabilities and logits with the network's own forward pass.</summary>
    private static void AssertScoresAsNetwork(Network network, int count, int seed)
    {
        TensorShape shape = network.Definition.InputShape;
        float[] inputs = OnnxFixtures.RandomInputs(count, shape, seed);

        var outputs = OnnxFixtures.Score(OnnxExport.ToBytes(network, WithLogits), inputs, count, shape);

        string name = network.Definition.Name;
        EngineFixtures.AssertClose(outputs["Score"], network.Forward(inputs, count), Tolerance, $"{name} probabilities");
        EngineFixtures.AssertClose(outputs["Logits"], network.Forward(inputs, count, probabilities: false), Tolerance, $"{name} logits");
    }

    private static string Describe(ValueInfoProto value) =>
        $"{value.Name}[{string.Join(",", value.Type.TensorType.Shape.Dim.Select(d => d.HasDimParam ? d.DimParam : d.DimValue.ToString()))}]";
}
