// ModelAttackTests.cs — issue 20's attacks on model loading, each reproduced against ML.NET alone and refused by
// LoadDigitsModel: lying sizes and bombs (row 5), external data read from the temporary folder (row 6), graph copies left
// in the temporary folder (row 7), and a warm-up prediction that is not a classifier's.
using System.Diagnostics;
using System.IO.Compression;
using DigitsML.Onnx;

namespace DigitsML.Tests.Reliability;

[TestFixture]
[NonParallelizable]
public sealed class ModelAttackTests
{
    /// <summary>Issue 20's bound for a refused bomb: peak resident memory it may add.</summary>
    private const long BombMemory = 300L << 20;

    private TemporaryDirectory folder = null!;

    [SetUp]
    public void MakeFolder() => folder = new TemporaryDirectory();

    [TearDown]
    public void RemoveFolder() => folder.Dispose();

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(folder.Path, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static byte[] WithOnnxEntry(Func<byte[], byte[]> entry) =>
        ModelZips.Zip(ModelZips.Entries(ServingFixtures.ModelZip).Select(e => ModelZips.IsOnnx(e.Name) ? (e.Name, entry(e.Bytes)) : e));

    /// <summary>Runs <paramref name="load"/>, which must refuse, and checks the time and peak memory it took.</summary>
    private static DataFormatException RefusedWithinBounds(Action load)
    {
        long before = ResidentPeak.Reset();
        var clock = Stopwatch.StartNew();
        var e = Assert.Throws<DataFormatException>(load)!;
        var took = clock.Elapsed;
        long grew = ResidentPeak.Peak() - before;
        TestContext.Out.WriteLine($"refused in {took.TotalMilliseconds:F0} ms, peak resident growth {grew / 1048576.0:F1} MiB: {e.Message}");
        Assert.That(took, Is.LessThan(TimeSpan.FromSeconds(1)), "a bomb must be refused within a second");
        if (ResidentPeak.CanReset)
            Assert.That(grew, Is.LessThan(BombMemory), "a bomb must be refused within 300 MB of peak resident memory");
        return e;
    }

    [Test]
    public void LoadDigitsModel_OnnxLengthPrefix0x7fffffff_DataFormatExceptionNamesFileAndCause()
    {
        string path = Write("prefix.zip", WithOnnxEntry(entry => ModelZips.OnnxEntry(ModelZips.GraphOf(entry), int.MaxValue)));
        // ML.NET alone allocates the prefix's 2 GiB and fails with something that names neither file nor cause.
        var plain = Assert.Catch(() => new MLContext().Model.Load(path, out _))!;
        TestContext.Out.WriteLine($"ML.NET alone: {plain.GetType().Name}: {plain.Message}");
        Assert.That(plain, Is.Not.InstanceOf<DataFormatException>());
        Assert.That(plain.Message, Does.Not.Contain(path));

        var e = RefusedWithinBounds(() => new MLContext().Model.LoadDigitsModel(path, out _));

        Assert.That(e.FilePath, Is.EqualTo(path));
        Assert.That(e.Message, Does.Contain("OnnxModel' says its ONNX graph is 2,147,483,647 bytes long"));
    }

    [Test]
    public void ReadOnnxFromModelZip_OnnxLengthPrefix0x7fffffff_DataFormatExceptionNamesFileAndCause()
    {
        string path = Write("prefix.zip", WithOnnxEntry(entry => ModelZips.OnnxEntry(ModelZips.GraphOf(entry), int.MaxValue)));

        var e = RefusedWithinBounds(() => TrainingMetadata.ReadOnnxFromModelZip(path));

        Assert.That(e.Message, Does.StartWith($"{path}: ").And.Contain("2,147,483,647 bytes long"));
    }

    [Test]
    public void LoadDigitsModel_OnnxEntryDeclaring2Point5GB_RefusedBeforeReadingIt()
    {
        string path = Write("declared.zip", ModelZips.DeclareSize(ServingFixtures.ModelZip, "/OnnxModel", 2_684_354_560));

        var e = RefusedWithinBounds(() => new MLContext().Model.LoadDigitsModel(path, out _));

        Assert.That(e.Message, Does.Contain("declares 2,684,354,560 bytes"));
    }

    /// <summary>A real deflate bomb: 200 MB of zeros behind a true length prefix, about 200 KB compressed.</summary>
    private static byte[] Bomb()
    {
        const int size = 200 << 20;
        using var stream = new MemoryStream();
        using (var archive = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, bytes) in ModelZips.Entries(ServingFixtures.ModelZip).Where(e => !ModelZips.IsOnnx(e.Name)))
            {
                using var output = archive.CreateEntry(name).Open();
                output.Write(bytes);
            }
            string onnx = ModelZips.Entries(ServingFixtures.ModelZip).Single(e => ModelZips.IsOnnx(e.Name)).Name;
            using var bomb = archive.CreateEntry(onnx, CompressionLevel.SmallestSize).Open();
            bomb.Write(BitConverter.GetBytes(size - 4));
            var zeros = new byte[1 << 20];
            for (int written = 4; written < size; written += zeros.Length)
                bomb.Write(zeros, 0, Math.Min(zeros.Length, size - written));
        }
        return stream.ToArray();
    }

    [Test]
    public void LoadDigitsModel_OnnxEntryInflatingTo200MB_RefusedAsBomb()
    {
        string path = Write("bomb.zip", Bomb());

        var e = RefusedWithinBounds(() => new MLContext().Model.LoadDigitsModel(path, out _));

        Assert.That(e.Message, Does.Contain("more than 100-fold, as a zip bomb does"));
    }

    [Test]
    public void LoadDigitsModel_BombDeclaringOneMegabyte_RefusedAfterReadingOnlyWhatItDeclares()
    {
        string path = Write("lying-bomb.zip", ModelZips.DeclareSize(Bomb(), "/OnnxModel", 1 << 20));

        var e = RefusedWithinBounds(() => new MLContext().Model.LoadDigitsModel(path, out _));

        Assert.That(e.Message, Does.Contain("is corrupt: its CRC-32"));
    }

    private static IEnumerable<TestCaseData> BrokenZips()
    {
        var entries = ModelZips.Entries(ServingFixtures.ModelZip);
        string onnx = entries.Single(e => ModelZips.IsOnnx(e.Name)).Name;
        yield return new TestCaseData(ServingFixtures.ModelZip[..(ServingFixtures.ModelZip.Length / 2)], "End of Central Directory")
            .SetName("LoadDigitsModel_ZipCutInHalf_DataFormatException");
        yield return new TestCaseData(ModelZips.Zip(entries.Where(e => e.Name != onnx)), "not an ML.NET model zip that loads here")
            .SetName("LoadDigitsModel_OnnxEntryRemoved_DataFormatException");
        yield return new TestCaseData(ModelZips.Zip([.. entries, entries[0]]), "appears twice")
            .SetName("LoadDigitsModel_EntryTwice_DataFormatException");
        yield return new TestCaseData(ModelZips.Zip(entries.Select(e => e.Name == onnx ? (e.Name, e.Bytes[..(e.Bytes.Length / 2)]) : e)), "bytes follow")
            .SetName("LoadDigitsModel_OnnxEntryTruncated_DataFormatException");
        yield return new TestCaseData(ModelZips.Zip(entries.Select(e => e.Name == onnx ? (e.Name, e.Bytes[..3]) : e)), "too short")
            .SetName("LoadDigitsModel_OnnxEntryOfThreeBytes_DataFormatException");
        byte[] flipped = ModelZips.Zip(entries, CompressionLevel.NoCompression);
        int at = flipped.AsSpan().IndexOf(entries.Single(e => e.Name == onnx).Bytes.AsSpan(0, 64));
        flipped[at + 40] ^= 0x55;
        yield return new TestCaseData(flipped, "CRC-32").SetName("LoadDigitsModel_StoredEntryByteChanged_DataFormatExceptionForCrc");
    }

    [TestCaseSource(nameof(BrokenZips))]
    public void LoadDigitsModel_BrokenZip(byte[] zip, string cause)
    {
        string path = Write("broken.zip", zip);

        var e = Assert.Throws<DataFormatException>(() => new MLContext().Model.LoadDigitsModel(path, out _))!;

        Assert.That(e.FilePath, Is.EqualTo(path));
        Assert.That(e.Message, Does.StartWith($"{path}: ").And.Contain(cause));
    }

    [Test]
    public void LoadDigitsModel_InitializerWithExternalDataInTempFolder_RefusedNamingTheFile()
    {
        // The attack: a 40-byte secret (the size of a 10-float bias) in the folder ML.NET writes the graph to.
        string shared = Directory.CreateDirectory(Path.Combine(folder.Path, "shared-temp")).FullName;
        string secret = $"digitsml-secret-{Guid.NewGuid():N}.bin";
        File.WriteAllBytes(Path.Combine(shared, secret), [.. Enumerable.Range(0, 40).Select(i => (byte)(0x3C + i % 3))]);
        string path = Write("external.zip", ModelZips.EditGraph(ServingFixtures.ModelZip,
            graph => ModelZips.EditInitializer(graph, 10, tensor => ModelZips.MakeExternal(tensor, secret))));
        // ML.NET alone, with that folder as its temporary folder, loads it: ONNX Runtime took the secret for the bias.
        using (var plain = (IDisposable)new MLContext { TempFilePath = shared }.Model.Load(path, out _))
            Assert.That(plain, Is.Not.Null);

        var e = Assert.Throws<DataFormatException>(() => new MLContext().Model.LoadDigitsModel(path, out _))!;

        Assert.That(e.Message, Does.Contain($"keeps its data in an external file ('{secret}')"));
    }

    [Test]
    public void LoadDigitsModel_GoodAndBadLoads_FailedLeaveNothingLoadedKeepAnOwnerOnlyFolderUntilCollected()
    {
        string good = Write("good.zip", ServingFixtures.ModelZip);
        string bad = Write("bad.zip", ModelZips.EditGraph(ServingFixtures.ModelZip, g => ModelZips.ReplaceOperator(g, "Softmax", "NoSuchOperator", false)));
        string shared = Directory.CreateDirectory(Path.Combine(folder.Path, "tmp")).FullName;
        // The attack: ML.NET alone leaves the graph of a failed load behind in its temporary folder.
        Assert.That(() => new MLContext { TempFilePath = shared }.Model.Load(bad, out _), Throws.Exception);
        string[] left = Directory.GetFiles(shared, "*", SearchOption.AllDirectories);
        Assert.That(left, Is.Not.Empty, "ML.NET alone no longer leaves a copy: this test no longer shows the attack");
        if (!OperatingSystem.IsWindows())
            TestContext.Out.WriteLine($"ML.NET alone left {left.Length} file(s), the first with mode {File.GetUnixFileMode(left[0])}");
        Directory.Delete(shared, recursive: true);
        Directory.CreateDirectory(shared);

        string? saved = Environment.GetEnvironmentVariable("TMPDIR");
        Environment.SetEnvironmentVariable("TMPDIR", shared);
        var loaded = new List<ITransformer>();
        try
        {
            for (int i = 0; i < 5; i++)
            {
                loaded.Add(new MLContext().Model.LoadDigitsModel(good, out _));
                var e = Assert.Throws<DataFormatException>(() => new MLContext().Model.LoadDigitsModel(bad, out _))!;
                Assert.That(e.Message, Does.Contain("NoSuchOperator"));
            }

            // The failed loads left nothing; each live model keeps one folder only its user can open, holding ML.NET's copy
            // of its graph (so that it can be saved again), and the models still score.
            string[] folders = Directory.GetDirectories(shared);
            Assert.That(folders, Has.Length.EqualTo(5));
            if (!OperatingSystem.IsWindows())
                foreach (string kept in folders)
                    Assert.That(File.GetUnixFileMode(kept), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));
            var input = new MLContext().Data.LoadFromEnumerable(ServingFixtures.Images(3));
            foreach (var model in loaded)
                Assert.That(model.Transform(input).GetColumn<float[]>("Score").Select(s => s.Sum()), Is.All.EqualTo(1f).Within(1e-4f));
        }
        finally
        {
            Environment.SetEnvironmentVariable("TMPDIR", saved);
            foreach (var model in loaded)
                (model as IDisposable)?.Dispose();
        }
        // Disposed and collected, the models leave nothing behind.
        loaded.Clear();
        for (int i = 0; i < 3 && Directory.GetFileSystemEntries(shared).Length > 0; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        Assert.That(Directory.GetFileSystemEntries(shared, "*", SearchOption.AllDirectories), Is.Empty);
    }

    [Test]
    public void LoadDigitsModel_GraphScoringLogits_RefusedByWarmUp()
    {
        string path = Write("logits.zip", ModelZips.EditGraph(ServingFixtures.ModelZip, g => ModelZips.ReplaceOperator(g, "Softmax", "Identity", true)));
        // ML.NET alone loads it and scores "probabilities" that are not.
        using (var plain = (IDisposable)new MLContext().Model.Load(path, out _))
            Assert.That(plain, Is.Not.Null);

        var e = Assert.Throws<DataFormatException>(() => new MLContext().Model.LoadDigitsModel(path, out _))!;

        Assert.That(e.Message, Does.Contain("is not a probability distribution"));
    }

    [Test]
    public void LoadDigitsModel_NonCalibratedSdcaModel_LoadsThoughItsScoresAreNotProbabilities()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(ServingFixtures.Images(200));
        using var model = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.MulticlassClassification.Trainers.SdcaNonCalibrated(maximumNumberOfIterations: 3)).Fit(data);
        string path = Path.Combine(folder.Path, "sdca.zip");
        ml.Model.Save(model, data.Schema, path);

        var loaded = new MLContext().Model.LoadDigitsModel(path, out _);

        float[] score = loaded.Transform(data).GetColumn<float[]>("Score").First();
        Assert.That(score.Sum(), Is.Not.EqualTo(1f).Within(SumTolerance), "the test's model must score outside [0, 1] to show the check is scoped");
    }

    private const float SumTolerance = 1e-3f;
}
