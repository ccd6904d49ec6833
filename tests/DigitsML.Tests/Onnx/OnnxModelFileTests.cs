// OnnxModelFileTests.cs — saving an exported model: atomic, round-trips, repeatable bytes; and the errors an export
// raises for a disposed network, a layer kind without ONNX nodes, and bad names.
using DigitsML.Engine;
using DigitsML.Networks;
using DigitsML.Onnx;
using DigitsML.Onnx.Graph;
using DigitsML.Tests.Engine;
using DigitsML.Trainers;
using Microsoft.ML.OnnxRuntime;
using TorchSharp;
using static TorchSharp.torch;

namespace DigitsML.Tests.Onnx;

[TestFixture]
public sealed class OnnxModelFileTests
{
    private string folder = "";

    [SetUp]
    public void CreateFolder() => folder = Directory.CreateTempSubdirectory("digitsml-onnx-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(folder, recursive: true);

    [Test]
    public void Save_NewFile_HoldsTheExportedBytesAndLeavesNoTemporaryFile()
    {
        using var network = Network.Create(CnnArchitectures.DigitNet, seed: 1);
        OnnxFixtures.RandomizeBatchNorm(network, seed: 2);
        string path = Path.Combine(folder, "digitnet.onnx");

        OnnxExport.Save(network, path);

        Assert.That(File.ReadAllBytes(path), Is.EqualTo(OnnxExport.ToBytes(network)));
        Assert.That(Directory.GetFiles(folder), Is.EqualTo(new[] { path }), "no temporary file is left");
        float[] inputs = OnnxFixtures.RandomInputs(3, TensorShape.Mnist, seed: 3);
        using var session = new InferenceSession(path);
        float[] score = OnnxFixtures.Score(session, inputs, 3, TensorShape.Mnist)["Score"];
        EngineFixtures.AssertClose(score, network.Forward(inputs, 3), 1e-5, "DigitNet loaded from its file");
    }

    [Test]
    public void Save_ExistingFile_IsReplacedWhole()
    {
        string path = Path.Combine(folder, "model.onnx");
        File.WriteAllBytes(path, new byte[5_000_000]);  // larger than the model: a non-atomic overwrite could leave a tail
        using var network = Network.Create(CnnArchitectures.SeedNet, seed: 4);

        OnnxExport.Save(network, path);

        Assert.That(File.ReadAllBytes(path), Is.EqualTo(OnnxExport.ToBytes(network)));
        Assert.That(Directory.GetFiles(folder), Has.Length.EqualTo(1));
    }

    [Test]
    public void Save_ExportFails_LeavesTheExistingFileAndNoTemporaryFile()
    {
        string path = Path.Combine(folder, "model.onnx");
        byte[] before = [1, 2, 3];
        File.WriteAllBytes(path, before);
        using var network = Network.Create(WithMystery, seed: 5);

        Assert.Throws<InvalidNetworkException>(() => OnnxExport.Save(network, path));

        Assert.That(File.ReadAllBytes(path), Is.EqualTo(before));
        Assert.That(Directory.GetFiles(folder), Has.Length.EqualTo(1));
    }

    [Test]
    public void Save_FolderMissing_ThrowsDirectoryNotFoundAndWritesNothing()
    {
        using var network = Network.Create(CnnArchitectures.Mlp300, seed: 6);

        Assert.Throws<DirectoryNotFoundException>(() => OnnxExport.Save(network, Path.Combine(folder, "missing", "m.onnx")));
        Assert.That(Directory.GetFileSystemEntries(folder), Is.Empty);
    }

    [Test]
    public void ToBytes_SameNetworkTwiceAndSameSeedTwice_GivesTheSameBytes()
    {
        using var first = Network.Create(CnnArchitectures.ResNetReduced, seed: 7);
        using var second = Network.Create(CnnArchitectures.ResNetReduced, seed: 7);

        byte[] bytes = OnnxExport.ToBytes(first);

        Assert.That(OnnxExport.ToBytes(first), Is.EqualTo(bytes));
        Assert.That(OnnxExport.ToBytes(second), Is.EqualTo(bytes));
    }

    [Test]
    public void ToBytes_DisposedNetwork_ThrowsObjectDisposedException()
    {
        var network = Network.Create(CnnArchitectures.SeedNet, seed: 8);
        network.Dispose();

        var e = Assert.Throws<ObjectDisposedException>(() => OnnxExport.ToBytes(network));

        Assert.That(e!.ObjectName, Does.Contain(nameof(Network)));
    }

    /// <summary>A layer kind that builds a module but says nothing about ONNX.</summary>
    private sealed record Mystery : Layer
    {
        internal override TensorShape InferOutput(TensorShape input) => input;

        internal override nn.Module<Tensor, Tensor> CreateModule(TensorShape input, ModuleContext context) => nn.Identity();

        public override string ToString() => "Mystery";
    }

    private static readonly NetworkDefinition WithMystery = new("WithMystery",
        [new Residual([new Mystery()]), new Flatten(), new Linear(10)]);

    [Test]
    public void ToBytes_LayerKindWithoutOnnxNodes_ThrowsNamingTheLayer()
    {
        using var network = Network.Create(WithMystery, seed: 9);

        var e = Assert.Throws<InvalidNetworkException>(() => OnnxExport.ToBytes(network));

        Assert.That(e!.Message, Does.Contain("Mystery").And.Contain("cannot be exported to ONNX"));
    }

    /// <summary>A layer whose module holds a Linear's weights but whose ONNX export forgets them.</summary>
    private sealed record Forgetful : Layer
    {
        internal override TensorShape InferOutput(TensorShape input) => input;

        internal override nn.Module<Tensor, Tensor> CreateModule(TensorShape input, ModuleContext context) =>
            nn.Linear(input.Channels, input.Channels);

        internal override string ExportOnnx(OnnxGraph graph, string input, TensorShape inputShape, string statePrefix) => input;
    }

    [Test]
    public void ToBytes_LayerExportingFewerWeightsThanItsModuleHolds_ThrowsNamingTheTensor()
    {
        using var network = Network.Create(new NetworkDefinition("Forgets", [new Flatten(), new Forgetful(), new Linear(10)]), seed: 10);

        var e = Assert.Throws<InvalidOperationException>(() => OnnxExport.ToBytes(network));

        Assert.That(e!.Message, Does.Contain("'1.weight'").And.Contain("Forgets"));
    }

    [TestCase("", "Score", null, "InputName")]
    [TestCase("Features", " ", null, "ScoreName")]
    [TestCase("Features", "Features", null, "ScoreName")]
    [TestCase("Features", "Score", "", "LogitsName")]
    [TestCase("Features", "Score", "Score", "LogitsName")]
    [TestCase("Features", "Score", "Features", "LogitsName")]
    public void ToBytes_BadNames_ThrowsArgumentExceptionNamingTheOption(string input, string score, string? logits, string option)
    {
        using var network = Network.Create(CnnArchitectures.Mlp300, seed: 11);
        var options = new OnnxExportOptions { InputName = input, ScoreName = score, LogitsName = logits };

        var e = Assert.Throws<ArgumentException>(() => OnnxExport.ToBytes(network, options));

        Assert.That(e!.ParamName, Is.EqualTo(option));
    }

    [Test]
    public void ToBytes_CustomNames_AreTheGraphsInputAndOutputs()
    {
        using var network = Network.Create(CnnArchitectures.Mlp300, seed: 12);
        var options = new OnnxExportOptions { InputName = "image", ScoreName = "probabilities", LogitsName = "raw" };

        using var session = new InferenceSession(OnnxExport.ToBytes(network, options));

        Assert.That(session.InputNames, Is.EqualTo(new[] { "image" }));
        Assert.That(session.OutputNames, Is.EqualTo(new[] { "probabilities", "raw" }));
        Assert.That(session.InputMetadata["image"].Dimensions, Is.EqualTo(new[] { -1, 1, 28, 28 }));
        Assert.That(session.InputMetadata["image"].SymbolicDimensions[0], Is.EqualTo("batch"));
    }
}
