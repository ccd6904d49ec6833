// ScoringOnlyTests.cs — a model trained here (TorchSharp) and saved, scored by samples/ScoringOnly in a process of its
// own that has neither TorchSharp nor libtorch: the same predictions and probabilities, bit for bit.
using System.Globalization;
using System.Text.Json;
using DigitsML.Testing;
using DigitsML.Trainers;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace DigitsML.Packaging.Tests;

[TestFixture]
public sealed class ScoringOnlyTests
{
    private const int TrainRows = 10_000, TestRows = 1000;
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    private TemporaryDirectory folder = null!;
    private string modelPath = null!, testImages = null!, testLabels = null!;
    private List<Prediction> idxInProcess = null!, photosInProcess = null!;
    private double idxAccuracy;

    private sealed class Prediction
    {
        public float PredictedLabel { get; set; }
        public float[] Score { get; set; } = [];
        public string? ImagePath { get; set; }
    }

    /// <summary>One line of the app's --predictions file.</summary>
    private sealed record Line(string Source, float PredictedLabel, float[] Score);

    [OneTimeSetUp]
    public void TrainSaveAndScoreInProcess()
    {
        folder = new TemporaryDirectory();
        // The first rows of MNIST's test files as IDX files of their own: what both processes score.
        byte[] images = File.ReadAllBytes(MnistFiles.TestImages), labels = File.ReadAllBytes(MnistFiles.TestLabels);
        testImages = TestFiles.WriteIdx(Path.Combine(folder.Path, "images-idx3-ubyte"), [TestRows, 28, 28], images.AsSpan(16, TestRows * 784));
        testLabels = TestFiles.WriteIdx(Path.Combine(folder.Path, "labels-idx1-ubyte"), [TestRows], labels.AsSpan(8, TestRows));

        var ml = new MLContext(seed: 1);
        IDataView train = ml.Data.TakeRows(ml.Data.LoadFromIdx(MnistFiles.TrainImages, MnistFiles.TrainLabels), TrainRows);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
            .Append(ml.MulticlassClassification.Trainers.Cnn(new CnnTrainer.Options { Architecture = CnnArchitectures.SeedNet, Epochs = 1, Seed = 1 }))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
        using var model = pipeline.Fit(train);
        modelPath = Path.Combine(folder.Path, "digits.zip");
        ml.Model.Save(model, train.Schema, modelPath);

        IDataView test = ml.Data.LoadFromIdx(testImages, testLabels);
        idxInProcess = Predict(ml, model.Transform(test));
        idxAccuracy = ml.MulticlassClassification.Evaluate(model.Transform(test)).MicroAccuracy;
        TestContext.Progress.WriteLine($"SeedNet, 1 epoch on {TrainRows:N0} images: micro-accuracy {idxAccuracy:P2} on {TestRows:N0} test images");

        IDataView photos = ml.Data.LoadFromImageFolder(Build.Photos);
        var read = ml.Transforms.LoadImages("Image", imageFolder: null, inputColumnName: "ImagePath")
            .Append(ml.Transforms.NormalizeDigit("Features", "Image")).Fit(photos);
        photosInProcess = Predict(ml, model.Transform(read.Transform(photos)));
    }

    [OneTimeTearDown]
    public void RemoveFolder() => folder?.Dispose();

    private static List<Prediction> Predict(MLContext ml, IDataView scored) =>
        [.. ml.Data.CreateEnumerable<Prediction>(scored, reuseRowObject: false, ignoreMissingColumns: true)];

    /// <summary>Runs the ScoringOnly app on the saved model with <paramref name="input"/> and reads its predictions file.</summary>
    private (Build.Result Run, List<Line> Lines) Score(params string[] input)
    {
        Assert.That(File.Exists(Build.ScoringOnlyDll), Is.True, $"{Build.ScoringOnlyDll} is missing: build samples/ScoringOnly");
        string predictions = Path.Combine(folder.Path, $"predictions-{Guid.NewGuid():N}.tsv");
        var run = Build.DotNet([Build.ScoringOnlyDll, modelPath, .. input, "--predictions", predictions, "--show", "0"], folder.Path, Timeout);
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        var lines = File.ReadLines(predictions).Skip(1).Select(l => l.Split('\t')).Select(f => new Line(f[1],
            float.Parse(f[3], CultureInfo.InvariantCulture), [.. f[4..].Select(v => float.Parse(v, CultureInfo.InvariantCulture))])).ToList();
        return (run, lines);
    }

    [Test]
    public void ScoringOnly_IdxFiles_SamePredictionsAndProbabilitiesAsTheTrainingProcess()
    {
        var (run, lines) = Score("--idx", testImages, testLabels);

        Assert.That(lines, Has.Count.EqualTo(TestRows));
        Assert.That(lines.Select(l => l.PredictedLabel), Is.EqualTo(idxInProcess.Select(p => p.PredictedLabel)));
        Assert.That(lines.Select(l => l.Score), Is.EqualTo(idxInProcess.Select(p => p.Score)), "probabilities, bit for bit");
        Assert.That(run.Output, Does.Contain($"ML.NET micro-accuracy {idxAccuracy:P2}"));
        // Measured 94.7 %: a trained model, not a constant one, is compared.
        Assert.That(idxAccuracy, Is.GreaterThan(0.9));
    }

    [Test]
    public void ScoringOnly_PhotoFolder_SamePredictionsAsTheTrainingProcess()
    {
        var (run, lines) = Score("--images", Build.Photos);

        Assert.That(lines.Select(l => l.Source), Is.EqualTo(photosInProcess.Select(p => p.ImagePath)));
        Assert.That(lines.Select(l => l.PredictedLabel), Is.EqualTo(photosInProcess.Select(p => p.PredictedLabel)));
        Assert.That(lines.Select(l => l.Score), Is.EqualTo(photosInProcess.Select(p => p.Score)));
        Assert.That(run.Output, Does.Contain("scored 30 images"));
    }

    [Test]
    public void ScoringOnly_OutputFolder_HoldsNoTorchSharpNorLibtorch()
    {
        string output = Path.GetDirectoryName(Build.ScoringOnlyDll)!;

        var files = Directory.GetFiles(output, "*", SearchOption.AllDirectories).Select(Path.GetFileName).ToList();

        Assert.That(files, Has.None.Contains("torch").IgnoreCase, "TorchSharp.dll, libLibTorchSharp.so, libtorch*.so");
        Assert.That(files, Does.Contain("DigitsML.Scoring.dll").And.Contain("Microsoft.ML.OnnxTransformer.dll").And.Contain("libonnxruntime.so"));
        Assert.That(files, Has.None.EqualTo("DigitsML.dll"));
    }

    [Test]
    public void ScoringOnly_DepsJson_NamesNoTorchSharpNorLibtorch()
    {
        string deps = Path.ChangeExtension(Build.ScoringOnlyDll, ".deps.json");
        string own = Path.Combine(AppContext.BaseDirectory, "DigitsML.Packaging.Tests.deps.json");

        var libraries = Libraries(deps);

        Assert.That(libraries, Has.None.StartsWith("TorchSharp").IgnoreCase.And.None.StartsWith("libtorch").IgnoreCase);
        Assert.That(libraries, Does.Contain("DigitsML.Scoring").And.Contain("Microsoft.ML.OnnxTransformer"));
        // The same reading of this test project's own deps.json (it trains) does find them: the check can see them.
        Assert.That(Libraries(own), Has.Some.StartsWith("TorchSharp").And.Some.StartsWith(Build.TorchBackend));
    }

    /// <summary>The library names (without versions) a deps.json lists.</summary>
    private static List<string> Libraries(string depsJson)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(depsJson));
        return [.. document.RootElement.GetProperty("libraries").EnumerateObject().Select(p => p.Name.Split('/')[0])];
    }
}
