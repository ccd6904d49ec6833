// OnnxMLNetTests.cs — the real ML.NET (Microsoft.ML 5, Microsoft.ML.OnnxTransformer) scores our exported networks and
// voting graphs: Score equals the networks' forward passes, the class names arrive as slot names, the model zip loads in
// a fresh MLContext with the .onnx file gone and scores bit-identically, and a prediction engine gives what batch scoring gives.
using DigitsML.Engine;
using DigitsML.Onnx;
using DigitsML.Tests.Engine;
using Architectures = DigitsML.Trainers.CnnArchitectures;
using DigitsML.Networks;

namespace DigitsML.Tests.Onnx;

[TestFixture]
public sealed class OnnxMLNetTests
{
    private const double Tolerance = 1e-5;
    private const int Count = 6;
    private static readonly string[] Digits = [.. Enumerable.Range(0, 10).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    private string folder = "";

    [SetUp]
    public void CreateFolder() => folder = Directory.CreateTempSubdirectory("digitsml-mlnet-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(folder, recursive: true);

    /// <summary>One image as an ML.NET row: <c>Features</c> is <c>Vector&lt;Single, 1, 28, 28&gt;</c>.</summary>
    public sealed class DigitRow
    {
        /// <summary>Pixels in [0, 1], row-major.</summary>
        [VectorType(1, 28, 28)]
        public float[] Features { get; set; } = [];
    }

    /// <summary>What a prediction engine fills in.</summary>
    public sealed class DigitScore
    {
        /// <summary>The graph's class probabilities.</summary>
        public float[] Score { get; set; } = [];
    }

    private static DigitRow[] Rows(float[] inputs) =>
        [.. inputs.Chunk(checked((int)TensorShape.Mnist.Elements)).Select(pixels => new DigitRow { Features = pixels })];

    /// <summary>The column <paramref name="name"/> of every row, concatenated: (rows × K).</summary>
    private static float[] Column(IDataView scored, string name = "Score") => [.. scored.GetColumn<float[]>(name).SelectMany(s => s)];

    private static string[] SlotNames(DataViewSchema.Column column)
    {
        Assert.That(column.HasSlotNames(), Is.True, $"{column.Name} has slot names");
        VBuffer<ReadOnlyMemory<char>> names = default;
        column.GetSlotNames(ref names);
        return [.. names.DenseValues().Select(n => n.ToString())];
    }

    /// <summary>A seeded DigitNet with BatchNorm statistics far from their initial values, and its .onnx file.</summary>
    private (Network Network, string Path) ExportDigitNet(OnnxExportOptions options)
    {
        var network = Network.Create(Architectures.DigitNet, seed: 1);
        OnnxFixtures.RandomizeBatchNorm(network, seed: 2);
        string path = Path.Combine(folder, "digitnet.onnx");
        OnnxExport.Save(network, path, options);
        return (network, path);
    }

    [Test]
    public void ApplyOnnxModel_ExportedDigitNet_ScoreEqualsForwardWithSlotNames()
    {
        var (network, path) = ExportDigitNet(new OnnxExportOptions { ClassNames = Digits });
        using var _ = network;
        float[] inputs = OnnxFixtures.RandomInputs(Count, TensorShape.Mnist, seed: 3);
        var ml = new MLContext(seed: 1);
        IDataView data = ml.Data.LoadFromEnumerable(Rows(inputs));

        using var model = ml.Transforms.ApplyOnnxModel(path).Fit(data);
        IDataView scored = model.Transform(data);

        Assert.That(data.Schema["Features"].Type, Is.EqualTo(new VectorDataViewType(NumberDataViewType.Single, 1, 28, 28)));
        // ML.NET reads the graph's symbolic batch dimension as 1 (OnnxTypeParser.GetTensorDims), so a (batch, 10) output
        // is Vector<Single, 1, 10>: 10 values, but not equal to a declared [VectorType(10)].
        Assert.That(scored.Schema["Score"].Type, Is.EqualTo(new VectorDataViewType(NumberDataViewType.Single, 1, 10)));
        Assert.That(scored.Schema.Select(c => c.Name), Is.EqualTo(new[] { "Features", "Score" }), "the slot-name node adds no column");
        Assert.That(SlotNames(scored.Schema["Score"]), Is.EqualTo(Digits));
        EngineFixtures.AssertClose(Column(scored), network.Forward(inputs, Count), Tolerance, "ML.NET Score vs DigitNet forward");
    }

    /// <summary>A labelled row, for a fitted model's scoring chain (MapValueToKey gives the label its key values).</summary>
    public sealed class LabelledRow
    {
        public float Label { get; set; }

        [VectorType(1, 28, 28)]
        public float[] Features { get; set; } = [];
    }

    private static IEnumerable<string> ZooNames => Architectures.All.Keys;

    /// <summary>The whole path a fitted model scores through (its ONNX export inside ML.NET's ApplyOnnxModel, the arg-max
    /// mapping and the key mapping) for every architecture of the zoo: Score within 1e-5 of libtorch's forward pass and
    /// PredictedLabel its arg-max. OnnxExportTests checks the bare graph in ONNX Runtime the same way.</summary>
    [TestCaseSource(nameof(ZooNames))]
    public void CnnTransformer_EveryArchitecture_MLNetScoresAsLibtorch(string name)
    {
        using var network = Network.Create(Architectures.All[name], seed: 31);
        OnnxFixtures.RandomizeBatchNorm(network, seed: 32);
        const int rows = 10;
        float[] inputs = OnnxFixtures.RandomInputs(rows, TensorShape.Mnist, seed: 33);
        var ml = new MLContext();
        var raw = ml.Data.LoadFromEnumerable(Rows(inputs).Select((r, i) => new LabelledRow { Label = i, Features = r.Features }).ToList());
        var keyed = ml.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: Microsoft.ML.Transforms.ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
            .Fit(raw).Transform(raw);

        using var model = DigitsML.Trainers.CnnTransformer.Create(network, [], keyed, "Features", keyed.Schema["Label"]);
        var scored = model.Transform(keyed);

        float[] expected = network.Forward(inputs, rows);
        EngineFixtures.AssertClose(Column(scored), expected, Tolerance, $"{name}: ML.NET Score vs libtorch");
        var predicted = scored.GetColumn<uint>("PredictedLabel").ToArray();
        float[] score = Column(scored);
        for (int i = 0; i < rows; i++)
        {
            var row = score.AsSpan(i * 10, 10).ToArray();
            Assert.That(predicted[i], Is.EqualTo((uint)Array.IndexOf(row, row.Max()) + 1), $"{name}: row {i}");
        }
    }

    [Test]
    public void ModelSaveLoad_FreshContextWithOnnxFileDeleted_ScoresBitIdenticallyAndLeavesNoTemporaryFile()
    {
        var (network, path) = ExportDigitNet(new OnnxExportOptions { ClassNames = Digits });
        using var _ = network;
        float[] inputs = OnnxFixtures.RandomInputs(Count, TensorShape.Mnist, seed: 4);
        var ml = new MLContext(seed: 1);
        IDataView data = ml.Data.LoadFromEnumerable(Rows(inputs));
        string zip = Path.Combine(folder, "digitnet.zip");
        float[] before;
        using (var model = ml.Transforms.ApplyOnnxModel(path).Fit(data))
        {
            before = Column(model.Transform(data));
            ml.Model.Save(model, data.Schema, zip);
        }
        File.Delete(path);
        string temp = Directory.CreateDirectory(Path.Combine(folder, "temp")).FullName;

        var fresh = new MLContext { TempFilePath = temp };
        ITransformer loaded = fresh.Model.Load(zip, out DataViewSchema inputSchema);
        try
        {
            IDataView scored = loaded.Transform(fresh.Data.LoadFromEnumerable(Rows(inputs)));

            Assert.That(Column(scored), Is.EqualTo(before), "bit-identical scores after Save and Load");
            Assert.That(SlotNames(scored.Schema["Score"]), Is.EqualTo(Digits));
            Assert.That(inputSchema.Select(c => c.Name), Is.EqualTo(new[] { "Features" }));
        }
        finally
        {
            (loaded as IDisposable)?.Dispose();
        }
        Assert.That(loaded, Is.InstanceOf<IDisposable>(), "a loaded model can be disposed");
        Assert.That(Directory.GetFileSystemEntries(temp), Is.Empty, "the loaded model's ONNX copy is deleted when it is disposed");
        Assert.That(Directory.GetFileSystemEntries(folder).Select(Path.GetFileName), Is.EquivalentTo(new[] { "digitnet.zip", "temp" }));
    }

    [Test]
    public void CreatePredictionEngine_OneRowAtATime_EqualsBatchScoring()
    {
        var (network, path) = ExportDigitNet(new OnnxExportOptions());
        using var _ = network;
        float[] inputs = OnnxFixtures.RandomInputs(Count, TensorShape.Mnist, seed: 5);
        var ml = new MLContext(seed: 1);
        DigitRow[] rows = Rows(inputs);
        IDataView data = ml.Data.LoadFromEnumerable(rows);
        using var model = ml.Transforms.ApplyOnnxModel(path).Fit(data);
        float[] batch = Column(model.Transform(data));

        // OwnsTransformer = false: by default disposing the engine would dispose the model too (DESIGN fact 12).
        using (var engine = ml.Model.CreatePredictionEngine<DigitRow, DigitScore>(model, new PredictionEngineOptions { OwnsTransformer = false }))
        {
            for (int i = 0; i < Count; i++)
                Assert.That(engine.Predict(rows[i]).Score, Is.EqualTo(batch.AsSpan(i * 10, 10).ToArray()), $"row {i}");
        }

        Assert.That(Column(model.Transform(data)), Is.EqualTo(batch), "the model still scores after the engine is disposed");
    }

    [Test]
    public void CreatePredictionEngine_DisposedWithDefaultOptions_DisposesTheModel()
    {
        // DESIGN fact 12, checked: a pool or server that makes engines from one model must pass OwnsTransformer = false.
        var (network, path) = ExportDigitNet(new OnnxExportOptions());
        network.Dispose();
        var ml = new MLContext(seed: 1);
        DigitRow[] rows = Rows(OnnxFixtures.RandomInputs(1, TensorShape.Mnist, seed: 6));
        IDataView data = ml.Data.LoadFromEnumerable(rows);
        using var model = ml.Transforms.ApplyOnnxModel(path).Fit(data);

        ml.Model.CreatePredictionEngine<DigitRow, DigitScore>(model).Dispose();

        // ML.NET 5.0.1 says so only through a NullReferenceException inside ONNX Runtime's InferenceSession.Run (its session
        // was disposed), wrapped in an InvalidOperationException; no ObjectDisposedException.
        var e = Assert.Catch(() => Column(model.Transform(data)), "scoring with the model the engine owned");
        TestContext.Out.WriteLine($"{e!.GetBaseException().GetType().Name}: {e.GetBaseException().Message}");
    }

    [Test]
    public void ApplyOnnxModel_HardVotingEnsemble_ScoresAsManagedVotingAndSavesLoadsBitIdentically()
    {
        using var first = Network.Create(Architectures.DigitNet, seed: 11);
        using var second = Network.Create(Architectures.SeedNet, seed: 12);
        using var third = Network.Create(Architectures.PyTorchExampleClassic, seed: 13);
        OnnxFixtures.RandomizeBatchNorm(first, seed: 14);
        Network[] members = [first, second, third];
        string path = Path.Combine(folder, "ensemble.onnx");
        OnnxExport.SaveEnsemble(members, VotingKind.Hard, path, new OnnxExportOptions { ClassNames = Digits, VotesName = "Votes" });
        float[] inputs = OnnxFixtures.RandomInputs(Count, TensorShape.Mnist, seed: 15);
        var ml = new MLContext(seed: 1);
        IDataView data = ml.Data.LoadFromEnumerable(Rows(inputs));
        string zip = Path.Combine(folder, "ensemble.zip");
        float[] before;
        using (var model = ml.Transforms.ApplyOnnxModel(path).Fit(data))
        {
            IDataView scored = model.Transform(data);
            before = Column(scored);
            var expected = ManagedVoting.Compute(members, inputs, Count);
            EngineFixtures.AssertClose(before, expected.HardScore, Tolerance, "ML.NET hard-vote Score vs members' forward");
            EngineFixtures.AssertClose(Column(scored, "Votes"), expected.VoteShares, 0, "ML.NET vote shares vs the reference");
            Assert.That(expected.ArgMaxRows(before), Is.EqualTo(expected.Predicted), "arg-max of Score is the hard vote's class");
            Assert.That(SlotNames(scored.Schema["Score"]), Is.EqualTo(Digits));
            Assert.That(SlotNames(scored.Schema["Votes"]), Is.EqualTo(Digits));
            ml.Model.Save(model, data.Schema, zip);
        }
        File.Delete(path);

        var fresh = new MLContext { TempFilePath = folder };
        ITransformer loaded = fresh.Model.Load(zip, out _);
        try
        {
            Assert.That(Column(loaded.Transform(fresh.Data.LoadFromEnumerable(Rows(inputs)))), Is.EqualTo(before));
        }
        finally
        {
            (loaded as IDisposable)?.Dispose();
        }
    }
}
