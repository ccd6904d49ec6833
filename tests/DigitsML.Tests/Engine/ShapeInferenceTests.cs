// ShapeInferenceTests.cs — shapes and parameter counts inferred in C#, checked against libtorch, and impossible layer lists refused before any native call.
using DigitsML.Engine;
using DigitsML.Networks;
using DigitsML.Trainers;

namespace DigitsML.Tests.Engine;

[TestFixture]
public sealed class ShapeInferenceTests
{
    private static readonly object[] Architectures =
    [
        new object[] { "SeedNet", 149_418L },
        new object[] { "DigitNet", 50_282L },
        new object[] { "PyTorchExample", 1_199_882L },
        new object[] { "PyTorchExampleClassic", 21_840L },
    ];

    [TestCaseSource(nameof(Architectures))]
    public void Summarize_Architecture_TotalParametersMatchesReport(string name, long expected)
    {
        Assert.That(CnnArchitectures.All[name].Summarize().TotalParameters, Is.EqualTo(expected));
    }

    [TestCaseSource(nameof(Architectures))]
    public void ParameterCount_ArchitectureBuiltByLibtorch_MatchesReport(string name, long expected)
    {
        using var network = Network.Create(CnnArchitectures.All[name]);
        Assert.That(network.ParameterCount, Is.EqualTo(expected));
        var parameters = network.GetState().Where(t => !t.Name.EndsWith(".running_mean") && !t.Name.EndsWith(".running_var"));
        Assert.That(parameters.Sum(t => t.Elements), Is.EqualTo(expected), "state less BatchNorm's running statistics");
    }

    [Test]
    public void Summarize_SeedNet_GivesEveryLayersShapesAndParameters()
    {
        NetworkSummary summary = CnnArchitectures.SeedNet.Summarize();

        var expected = new (TensorShape Output, long Parameters)[]
        {
            (TensorShape.Image(1, 28, 28), 0),    // 0 Normalize
            (TensorShape.Image(8, 26, 26), 80),   // 1 Conv2d(8, 3): 8·1·9 + 8
            (TensorShape.Image(8, 26, 26), 0),    // 2 ReLU
            (TensorShape.Image(16, 24, 24), 1168), // 3 Conv2d(16, 3): 16·8·9 + 16
            (TensorShape.Image(16, 24, 24), 0),   // 4 ReLU
            (TensorShape.Image(16, 12, 12), 0),   // 5 MaxPool2d(2)
            (TensorShape.Image(16, 12, 12), 0),   // 6 Dropout
            (TensorShape.Vector(2304), 0),        // 7 Flatten
            (TensorShape.Vector(64), 147_520),    // 8 Linear(64): 2304·64 + 64
            (TensorShape.Vector(64), 0),          // 9 ReLU
            (TensorShape.Vector(64), 0),          // 10 Dropout
            (TensorShape.Vector(10), 650),        // 11 Linear(10): 64·10 + 10
        };
        Assert.That(summary.Layers, Has.Count.EqualTo(expected.Length));
        Assert.Multiple(() =>
        {
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.That(summary.Layers[i].Index, Is.EqualTo(i));
                Assert.That(summary.Layers[i].InputShape, Is.EqualTo(i == 0 ? TensorShape.Mnist : expected[i - 1].Output), $"input of layer {i}");
                Assert.That(summary.Layers[i].OutputShape, Is.EqualTo(expected[i].Output), $"output of layer {i}");
                Assert.That(summary.Layers[i].Parameters, Is.EqualTo(expected[i].Parameters), $"parameters of layer {i}");
            }
            Assert.That(summary.Classes, Is.EqualTo(10));
        });
    }

    [Test]
    public void GetState_SeedNet_NamesAndShapesFollowPyTorchSequential()
    {
        using var network = Network.Create(CnnArchitectures.SeedNet);

        var state = network.GetState().Select(t => $"{t.Name}{t.ShapeText}");

        Assert.That(state, Is.EqualTo(new[]
        {
            "1.weight(8, 1, 3, 3)", "1.bias(8)", "3.weight(16, 8, 3, 3)", "3.bias(16)",
            "8.weight(64, 2304)", "8.bias(64)", "11.weight(10, 64)", "11.bias(10)",
        }));
    }

    [Test]
    public void GetState_BatchNormNetwork_ListsParametersThenRunningStatistics()
    {
        using var network = Network.Create(EngineFixtures.TrainNet);

        var names = network.GetState().Select(t => t.Name);

        Assert.That(names, Is.EqualTo(new[]
        {
            "1.weight", "2.weight", "2.bias", "6.weight", "6.bias", "2.running_mean", "2.running_var",
        }));
        Assert.That(network.ParameterCount, Is.EqualTo(EngineFixtures.TrainNet.Summarize().TotalParameters));
    }

    [Test]
    public void Summarize_PaddingAndStride_FollowPyTorchArithmetic()
    {
        var definition = new NetworkDefinition("Strided",
            [new Conv2d(6, 5, Stride: 2, Padding: 2), new AvgPool2d(3, Stride: 2, Padding: 1), new Flatten(), new Linear(3)]);

        var summary = definition.Summarize();

        // Conv: (28 + 4 − 5) / 2 + 1 = 14; pool: (14 + 2 − 3) / 2 + 1 = 7.
        Assert.That(summary.Layers[0].OutputShape, Is.EqualTo(TensorShape.Image(6, 14, 14)));
        Assert.That(summary.Layers[1].OutputShape, Is.EqualTo(TensorShape.Image(6, 7, 7)));
        using var network = Network.Create(definition);
        Assert.That(network.ParameterCount, Is.EqualTo(summary.TotalParameters));
        Assert.That(network.Forward(new float[2 * 784], 2), Has.Length.EqualTo(6));
    }

    private static IEnumerable<TestCaseData> Impossible()
    {
        yield return new TestCaseData(new Layer[] { new Conv2d(8, 30), new Flatten(), new Linear(10) }, TensorShape.Mnist,
                new[] { "layer 0", "Conv2d(8, 30×30)", "(1, 28, 28)", "30×30 window" })
            .SetName("Summarize_KernelLargerThanImage_Refused");
        yield return new TestCaseData(new Layer[] { new Conv2d(8, 3), new Linear(10) }, TensorShape.Mnist,
                new[] { "layer 1", "Linear(10)", "(8, 26, 26)", "Flatten" })
            .SetName("Summarize_LinearWithoutFlatten_Refused");
        yield return new TestCaseData(new Layer[] { new Flatten(), new Dropout2d(0.5), new Linear(10) }, TensorShape.Mnist,
                new[] { "layer 1", "Dropout2d(0.5)", "(784)", "image" })
            .SetName("Summarize_Dropout2dOnVector_Refused");
        yield return new TestCaseData(new Layer[] { new Conv2d(4, 5), new MaxPool2d(2), new MaxPool2d(2), new MaxPool2d(8), new Flatten(), new Linear(10) },
                TensorShape.Mnist, new[] { "layer 3", "MaxPool2d(8)", "(4, 6, 6)" })
            .SetName("Summarize_PoolBiggerThanInput_Refused");
        yield return new TestCaseData(new Layer[] { new Flatten(), new BatchNorm2d(), new Linear(10) }, TensorShape.Mnist,
                new[] { "layer 1", "BatchNorm2d", "(784)" })
            .SetName("Summarize_BatchNorm2dOnVector_Refused");
        yield return new TestCaseData(new Layer[] { new Conv2d(8, 3), new BatchNorm1d(), new Flatten(), new Linear(10) }, TensorShape.Mnist,
                new[] { "layer 1", "BatchNorm1d", "(8, 26, 26)" })
            .SetName("Summarize_BatchNorm1dOnImage_Refused");
        yield return new TestCaseData(new Layer[] { new Conv2d(8, 3), new ReLU() }, TensorShape.Mnist,
                new[] { "(8, 26, 26)", "flat vector" })
            .SetName("Summarize_NetworkEndingInImage_Refused");
        yield return new TestCaseData(new Layer[] { new Flatten(), new Linear(1) }, TensorShape.Mnist,
                new[] { "(1)", "at least 2 class scores" })
            .SetName("Summarize_SingleClassScore_Refused");
        yield return new TestCaseData(new Layer[] { new MaxPool2d(4, Padding: 3), new Flatten(), new Linear(10) }, TensorShape.Mnist,
                new[] { "layer 0", "MaxPool2d(4)", "padding" })
            .SetName("Summarize_PoolPaddingOverHalfKernel_Refused");
        yield return new TestCaseData(new Layer[] { new Dropout(1.0), new Flatten(), new Linear(10) }, TensorShape.Mnist,
                new[] { "layer 0", "Dropout(1)", "[0, 1)" })
            .SetName("Summarize_DropoutProbabilityOne_Refused");
        yield return new TestCaseData(new Layer[] { new Normalize(0.5, 0), new Flatten(), new Linear(10) }, TensorShape.Mnist,
                new[] { "layer 0", "Normalize", "std" })
            .SetName("Summarize_NormalizeWithZeroStd_Refused");
        yield return new TestCaseData(new Layer[] { new Conv2d(1 << 20, 1), new Flatten(), new Linear(10) }, TensorShape.Image(1, 64, 64),
                new[] { "layer 1", "Flatten", "(1048576, 64, 64)" })
            .SetName("Summarize_FlattenBeyondInt32_Refused");
    }

    [TestCaseSource(nameof(Impossible))]
    public void Summarize_ImpossibleLayers_ThrowsInvalidNetworkExceptionNamingLayerAndShapes(Layer[] layers, TensorShape input, string[] fragments)
    {
        var definition = new NetworkDefinition("Bad", layers, input);

        var e = Assert.Throws<InvalidNetworkException>(() => definition.Summarize());

        Assert.That(e!.Message, Does.StartWith("Bad"));
        foreach (string fragment in fragments)
            Assert.That(e.Message, Does.Contain(fragment));
        // Network.Create summarises first, so the same refusal comes before libtorch sees the layers;
        // a libtorch refusal would be a TorchException instead.
        var again = Assert.Throws<InvalidNetworkException>(() => Network.Create(definition).Dispose());
        Assert.That(again!.Message, Is.EqualTo(e.Message));
    }

    [Test]
    public void Constructor_NoLayers_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => _ = new NetworkDefinition("Empty", []));
    }
}
