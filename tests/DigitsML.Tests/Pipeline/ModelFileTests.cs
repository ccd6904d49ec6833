// ModelFileTests.cs — model files: contents, refusal of unknown kinds, altered files and foreign transformers.
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using DigitsML.Engine;
using DigitsML.IO;
using DigitsML.Transforms;
using DigitsML.Testing;

namespace DigitsML.Tests.Pipeline;

public sealed class ModelFileTests
{
    private static (MLContext Ml, IDataView Data, TransformerChain<KeyToValueMappingTransformer> Model) Trained()
    {
        var ml = new MLContext(seed: 5);
        var data = ml.Data.TakeRows(PipelineData.MnistTrain, 300);
        var model = ml.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: KeyOrdinality.ByValue)
            .Append(ml.MulticlassClassification.Trainers.Cnn(epochs: 1))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"))
            .Fit(data);
        return (ml, data, model);
    }

    private static Dictionary<string, byte[]> Entries(byte[] file)
    {
        using var zip = new ZipArchive(new MemoryStream(file), ZipArchiveMode.Read);
        return zip.Entries.ToDictionary(e => e.FullName, e =>
        {
            using var s = e.Open();
            using var m = new MemoryStream();
            s.CopyTo(m);
            return m.ToArray();
        });
    }

    private static byte[] Save(MLContext ml, ITransformer model, DataViewSchema schema)
    {
        using var stream = new MemoryStream();
        ml.Model.Save(model, schema, stream);
        return stream.ToArray();
    }

    [Test]
    public void Save_Pipeline_WritesVersionManifestPipelineAndNetworkEntries()
    {
        var (ml, data, model) = Trained();
        using var owned = model;
        var entries = Entries(Save(ml, model, data.Schema));
        Assert.That(entries.Keys, Is.EquivalentTo(new[]
        {
            "version.json", "manifest.json", "pipeline.json", "transformers/0/network.json", "transformers/0/weights.safetensors",
        }));
        var pipeline = JsonNode.Parse(entries["pipeline.json"])!;
        var kinds = pipeline["transformer"]!["transformers"]!.AsArray().Select(t => t!["kind"]!.GetValue<string>());
        Assert.That(kinds, Is.EqualTo(new[] { "ValueToKeyMapping", "Cnn", "KeyToValueMapping" }));
        Assert.That(pipeline["inputSchema"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()), Is.EqualTo(new[] { "Label", "Features" }));
        var cnn = pipeline["transformer"]!["transformers"]![1]!;
        Assert.That(cnn["classValues"]!["values"]!.AsArray().Select(v => v!.GetValue<float>()), Is.EqualTo(Enumerable.Range(0, 10).Select(i => (float)i)));
        Assert.That(cnn["history"]!.AsArray(), Has.Count.EqualTo(1));
    }

    [Test]
    public void Load_SavedTwice_SameBytesAndSameHistory()
    {
        var (ml, data, model) = Trained();
        using var owned = model;
        var bytes = Save(ml, model, data.Schema);
        Assert.That(Save(ml, model, data.Schema), Is.EqualTo(bytes), "saving is repeatable");
        var loaded = (TransformerChain<ITransformer>)ml.Model.Load(new MemoryStream(bytes), out _);
        using (loaded)
        {
            var cnn = loaded.OfType<Trainers.CnnTransformer>().Single();
            Assert.That(cnn.History, Is.EqualTo(model.OfType<Trainers.CnnTransformer>().Single().History));
            Assert.That(Save(ml, loaded, data.Schema), Is.EqualTo(bytes), "a loaded model saves to the same bytes");
        }
    }

    [Test]
    public void Load_UnknownTransformerKind_ThrowsDataFormatException()
    {
        var pipeline = new JsonObject
        {
            ["inputSchema"] = new JsonArray(),
            ["transformer"] = new JsonObject { ["kind"] = "Mystery" },
        };
        using var stream = new MemoryStream();
        ModelArchive.Write(stream, new Dictionary<string, byte[]> { ["pipeline.json"] = Encoding.UTF8.GetBytes(pipeline.ToJsonString()) });
        stream.Position = 0;
        var e = Assert.Throws<DataFormatException>(() => new MLContext().Model.Load(stream, out _));
        Assert.That(e!.Message, Does.Contain("unknown transformer kind 'Mystery'"));
    }

    [Test]
    public void Load_MalformedParameters_ThrowsDataFormatExceptionNamingThem()
    {
        var pipeline = new JsonObject
        {
            ["inputSchema"] = new JsonArray(),
            ["transformer"] = new JsonObject { ["kind"] = "PixelScaling", ["outputColumnName"] = "X", ["inputColumnName"] = "Y", ["scale"] = "big" },
        };
        using var stream = new MemoryStream();
        ModelArchive.Write(stream, new Dictionary<string, byte[]> { ["pipeline.json"] = Encoding.UTF8.GetBytes(pipeline.ToJsonString()) });
        stream.Position = 0;
        var e = Assert.Throws<DataFormatException>(() => new MLContext().Model.Load(stream, out _));
        Assert.That(e!.Message, Does.Contain("'scale'"));
    }

    [Test]
    public void Load_AlteredEntry_ThrowsDataFormatException()
    {
        var (ml, data, model) = Trained();
        using var owned = model;
        var bytes = Save(ml, model, data.Schema);
        using var copy = new MemoryStream();
        copy.Write(bytes);
        using (var zip = new ZipArchive(copy, ZipArchiveMode.Update, leaveOpen: true))
        {
            var entry = zip.GetEntry("pipeline.json")!;
            string text;
            using (var reader = new StreamReader(entry.Open()))
                text = reader.ReadToEnd();
            entry.Delete();
            using var writer = new StreamWriter(zip.CreateEntry("pipeline.json").Open());
            writer.Write(text.Replace("\"Features\"", "\"Pixels\""));
        }
        copy.Position = 0;
        var e = Assert.Throws<DataFormatException>(() => ml.Model.Load(copy, out _));
        Assert.That(e!.Message, Does.Contain("pipeline.json").And.Contain("SHA-256"));
    }

    [Test]
    public void Load_NetworkFileInsteadOfModel_ThrowsSayingWhatItIs()
    {
        using var dir = new TemporaryDirectory();
        string path = Path.Combine(dir.Path, "net.zip");
        using (var network = Network.Create(Trainers.CnnArchitectures.SeedNet))
            NetworkFile.Save(network, path);
        var e = Assert.Throws<DataFormatException>(() => new MLContext().Model.Load(path, out _));
        Assert.That(e!.Message, Does.Contain("pipeline.json").And.Contain(path));
        Assert.Throws<FileNotFoundException>(() => new MLContext().Model.Load(Path.Combine(dir.Path, "none.zip"), out _));
    }

    private sealed class Foreign : ITransformer
    {
        public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => inputSchema;

        public IDataView Transform(IDataView input) => input;
    }

    [Test]
    public void Save_ForeignTransformerOrWrongSchema_Throws()
    {
        var ml = new MLContext();
        var data = PipelineData.MnistTest;
        var e = Assert.Throws<NotSupportedException>(() => ml.Model.Save(new Foreign(), data.Schema, new MemoryStream()));
        Assert.That(e!.Message, Does.Contain("Foreign"));

        var keyMapper = ml.Transforms.Conversion.MapValueToKey("Label").Fit(ml.Data.TakeRows(data, 10));
        var other = ml.Data.LoadFromEnumerable(new[] { new KeyMappingTests.Labelled() });
        var wrong = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Model.Save(keyMapper, ml.Data.LoadFromEnumerable(new[] { new EnumerableMappingTests.WrongType() }).Schema, new MemoryStream()));
        Assert.That(wrong!.Message, Does.Contain("'Label'"));
        Assert.DoesNotThrow(() => ml.Model.Save(keyMapper, other.Schema, new MemoryStream()));
    }
}
