// ModelLoadingTests.cs — ml.Model.LoadDigitsModel: why a load can fail on ML.NET's temporary ".ort" name, that such a
// failure is retried and no other is, and the errors a bad file gets.
using DigitsML.Engine;
using DigitsML.Onnx;
using DigitsML.Tests.Reliability;
using DigitsML.Trainers;
using Microsoft.ML.OnnxRuntime;

namespace DigitsML.Tests.Onnx;

[TestFixture]
public sealed class ModelLoadingTests
{
    private static byte[] Graph()
    {
        using var network = Network.Create(CnnArchitectures.SeedNet, seed: 1);
        return OnnxExport.ToBytes(network);
    }

    /// <summary>The failure ML.NET meets once in 32,768 loads, made on purpose: the same ONNX graph ML.NET would write under
    /// a random name, written under a name ending in ".ort" (as ML.NET's OnnxModel wraps it).</summary>
    private static InvalidOperationException OrtNameFailure(string folder)
    {
        string path = Path.Combine(folder, "abcdefgh.ort");
        File.WriteAllBytes(path, Graph());
        var e = Assert.Throws<OnnxRuntimeException>(() => new InferenceSession(path).Dispose())!;
        return new InvalidOperationException("Error initializing model :" + e, e);
    }

    [Test]
    public void InferenceSession_OnnxGraphUnderOrtName_RefusedAsOrtFormatAndRecognised()
    {
        using var folder = new TemporaryDirectory();
        byte[] graph = Graph();
        File.WriteAllBytes(Path.Combine(folder.Path, "abcdefgh.onn"), graph);
        File.WriteAllBytes(Path.Combine(folder.Path, "abcdefgh.ort"), graph);

        // The very same bytes load under any other name.
        using (new InferenceSession(Path.Combine(folder.Path, "abcdefgh.onn"))) { }
        var e = Assert.Throws<OnnxRuntimeException>(() => new InferenceSession(Path.Combine(folder.Path, "abcdefgh.ort")).Dispose())!;

        Assert.That(e.Message, Does.Contain("ORT model verification failed"));
        Assert.That(DigitsModelCatalog.IsOrtTempNameFailure(new InvalidOperationException("outer", e)), Is.True);
        Assert.That(DigitsModelCatalog.IsOrtTempNameFailure(new InvalidOperationException("ORT model verification failed")), Is.False);
    }

    [Test]
    public void RetryOnOrtTempName_FailsOnceOnOrtName_SecondTryReturned()
    {
        using var folder = new TemporaryDirectory();
        var failure = OrtNameFailure(folder.Path);
        int calls = 0;

        int result = DigitsModelCatalog.RetryOnOrtTempName(() => ++calls == 1 ? throw failure : 42);

        Assert.That((result, calls), Is.EqualTo((42, 2)));
    }

    [Test]
    public void RetryOnOrtTempName_AlwaysOrtName_ThrowsAfterAllAttempts()
    {
        using var folder = new TemporaryDirectory();
        var failure = OrtNameFailure(folder.Path);
        int calls = 0;

        var thrown = Assert.Throws<InvalidOperationException>(() => DigitsModelCatalog.RetryOnOrtTempName<int>(() => { calls++; throw failure; }));

        Assert.That(thrown, Is.SameAs(failure));
        Assert.That(calls, Is.EqualTo(DigitsModelCatalog.Attempts));
    }

    [Test]
    public void RetryOnOrtTempName_OtherFailure_ThrownAtOnce()
    {
        int calls = 0;

        Assert.Throws<InvalidOperationException>(() => DigitsModelCatalog.RetryOnOrtTempName<int>(() =>
        {
            calls++;
            throw new InvalidOperationException("Error initializing model: a broken graph");
        }));

        Assert.That(calls, Is.EqualTo(1));
    }

    [Test]
    public void LoadDigitsModel_SavedModel_ScoresAsModelLoad()
    {
        using var folder = new TemporaryDirectory();
        string path = Path.Combine(folder.Path, "digits.zip");
        var ml = new MLContext(seed: 1);
        File.WriteAllBytes(path, ServingFixtures.ModelZip);
        var input = ml.Data.LoadFromEnumerable(ServingFixtures.Images(20));

        using var viaLoad = (IDisposable)ml.Model.Load(path, out var loadSchema);
        using var viaCatalog = (IDisposable)ml.Model.LoadDigitsModel(path, out var catalogSchema);

        float[][] Scores(object model) => [.. ((ITransformer)model).Transform(input).GetColumn<float[]>("Score")];
        Assert.That(Scores(viaCatalog), Is.EqualTo(Scores(viaLoad)));
        Assert.That(catalogSchema?.Count, Is.EqualTo(loadSchema?.Count));
    }

    [Test]
    public void LoadDigitsModel_NotAZip_DataFormatExceptionNamesFile()
    {
        using var folder = new TemporaryDirectory();
        string path = Path.Combine(folder.Path, "notes.zip");
        File.WriteAllText(path, "not a zip");

        var e = Assert.Throws<DataFormatException>(() => new MLContext().Model.LoadDigitsModel(path, out _))!;

        Assert.That(e.FilePath, Is.EqualTo(path));
        Assert.That(e.Message, Does.StartWith($"{path}: not an ML.NET model zip that loads here: "));
    }

    [Test]
    public void LoadDigitsModel_MissingFile_FileNotFoundNamesIt()
    {
        using var folder = new TemporaryDirectory();
        string path = Path.Combine(folder.Path, "absent.zip");

        var e = Assert.Throws<FileNotFoundException>(() => new MLContext().Model.LoadDigitsModel(path, out _))!;

        Assert.That(e.FileName, Is.EqualTo(path));
    }

    [Test]
    public void LoadDigitsModel_StreamThatCannotSeek_ArgumentException()
    {
        using var stream = new ForwardOnlyStream();

        Assert.Throws<ArgumentException>(() => new MLContext().Model.LoadDigitsModel(stream, out _));
    }

    /// <summary>A readable stream that cannot seek, as a network or gzip stream is.</summary>
    private sealed class ForwardOnlyStream : MemoryStream
    {
        public override bool CanSeek => false;
    }
}
