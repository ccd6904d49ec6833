// NetworkFileTests.cs — saving and loading single networks: identical outputs after a round trip, refusal of inconsistent files.
using DigitsML.Engine;
using DigitsML.IO;
using DigitsML.Networks;
using DigitsML.Trainers;
using DigitsML.Testing;

namespace DigitsML.Tests.Engine.IO;

[TestFixture]
public sealed class NetworkFileTests
{
    private TemporaryDirectory folder = null!;

    [SetUp]
    public void CreateFolder() => folder = new TemporaryDirectory();

    [TearDown]
    public void RemoveFolder() => folder.Dispose();

    [Test]
    public void SaveLoad_SeedNet_GivesIdenticalForwardOutputs()
    {
        string path = Path.Combine(folder.Path, "seednet.zip");
        var inputs = TestData.MnistTest.Take(16);
        using var saved = Network.Create(CnnArchitectures.SeedNet, seed: 21);

        NetworkFile.Save(saved, path);
        using var loaded = NetworkFile.Load(path);

        Assert.That(loaded.Definition.Name, Is.EqualTo("SeedNet"));
        Assert.That(loaded.Definition.Layers, Is.EqualTo(CnnArchitectures.SeedNet.Layers));
        Assert.That(loaded.Definition.InputShape, Is.EqualTo(TensorShape.Mnist));
        Assert.That(loaded.Forward(inputs.Pixels, inputs.Count, probabilities: false),
            Is.EqualTo(saved.Forward(inputs.Pixels, inputs.Count, probabilities: false)));
    }

    [Test]
    public void SaveLoad_TrainedBatchNormNetwork_KeepsRunningStatisticsAndOutputs()
    {
        string path = Path.Combine(folder.Path, "trainnet.zip");
        var data = EngineFixtures.RandomDataset(32, EngineFixtures.TrainNet.InputShape, seed: 8);
        using var saved = Network.Create(EngineFixtures.TrainNet, seed: 8);
        NetworkTrainer.Train(saved, data, null, new CnnTrainer.Options { Epochs = 1, BatchSize = 8 });

        NetworkFile.Save(saved, path);
        using var loaded = NetworkFile.Load(path);

        Assert.That(EngineFixtures.StatesEqual(loaded.GetState(), saved.GetState()), Is.True);
        Assert.That(loaded.Forward(data.Pixels, data.Count), Is.EqualTo(saved.Forward(data.Pixels, data.Count)));
    }

    [Test]
    public void Load_WeightsOfAnotherNetwork_ThrowsDataFormatException()
    {
        string path = Path.Combine(folder.Path, "mixed.zip");
        using var seedNet = Network.Create(CnnArchitectures.SeedNet);
        var entries = new Dictionary<string, byte[]>();
        NetworkSerializer.AddEntries(entries, "", seedNet);
        entries[NetworkSerializer.DefinitionEntry] = NetworkSerializer.DefinitionToJson(CnnArchitectures.PyTorchExample);
        ModelArchive.Save(path, entries);

        var e = Assert.Throws<DataFormatException>(() => NetworkFile.Load(path).Dispose());

        Assert.That(e!.Message, Does.StartWith(path).And.Contain("do not fit"));
    }

    [Test]
    public void Load_ImpossibleStoredDefinition_ThrowsDataFormatException()
    {
        string path = Path.Combine(folder.Path, "impossible.zip");
        using var seedNet = Network.Create(CnnArchitectures.SeedNet);
        var entries = new Dictionary<string, byte[]>();
        NetworkSerializer.AddEntries(entries, "", seedNet);
        var impossible = new NetworkDefinition("Impossible", [new Conv2d(8, 3), new Linear(10)]);
        entries[NetworkSerializer.DefinitionEntry] = NetworkSerializer.DefinitionToJson(impossible);
        ModelArchive.Save(path, entries);

        var e = Assert.Throws<DataFormatException>(() => NetworkFile.Load(path).Dispose());

        Assert.That(e!.Message, Does.Contain("inconsistent").And.Contain("Linear(10)"));
    }

    [Test]
    public void Load_MissingFile_ThrowsFileNotFoundException()
    {
        Assert.Throws<FileNotFoundException>(() => NetworkFile.Load(Path.Combine(folder.Path, "absent.zip")));
    }

    [Test]
    public void Load_NotAModelFile_ThrowsDataFormatException()
    {
        string path = Path.Combine(folder.Path, "notes.zip");
        File.WriteAllText(path, "not a zip");

        var e = Assert.Throws<DataFormatException>(() => NetworkFile.Load(path));

        Assert.That(e!.FilePath, Is.EqualTo(path));
    }
}
