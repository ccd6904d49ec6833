// RobustReportTests.cs — a validation set made from held-out training images (make_robust.py --train-slice), scored
// with its own clean images, and the model report's robustness table over it.
using DigitsML.Trainers;

namespace DigitsML.Tests.Robust;

[TestFixture]
[Category("Robust")]
public sealed class RobustReportTests
{
    private const int Start = 100, End = 400;
    private static readonly string[] Corruptions = ["shift", "brightness"];
    private TemporaryDirectory folder = null!;
    private string Set => Path.Combine(folder.Path, "validation");
    private string ModelZip => Path.Combine(folder.Path, "tiny.zip");

    [OneTimeSetUp]
    public void MakeSetAndModel()
    {
        folder = new TemporaryDirectory();
        var run = RobustSet.Make("--mnist", TestData.MnistDirectory, "--out", Set, "--only", string.Join(',', Corruptions),
            "--train-slice", $"{Start}:{End}", "--no-writers");
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        var ml = new MLContext(seed: 1);
        // Trained on images the set was not made from (from 1,000 on).
        var train = ml.Data.Cache(ml.Data.TakeRows(ml.Data.SkipRows(ml.Data.LoadFromIdx(TestData.TrainImages, TestData.TrainLabels), 1000), 3000));
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
            .Append(ml.MulticlassClassification.Trainers.Cnn(new CnnTrainer.Options { Architecture = CnnArchitectures.SeedNet, Epochs = 1, Seed = 1 }));
        using var fitted = pipeline.Fit(train);
        ml.Model.Save(fitted, train.Schema, ModelZip);
    }

    [OneTimeTearDown]
    public void RemoveFolder() => folder.Dispose();

    [Test]
    public void Generator_TrainSlice_CorruptsThoseTrainingImagesAndKeepsThemClean()
    {
        var (count, clean) = RobustSet.ReadImages(Path.Combine(Set, "corruptions", "clean-images-idx3-ubyte"));
        var (_, train) = RobustSet.ReadImages(TestData.TrainImages);
        Assert.That(count, Is.EqualTo(End - Start));
        Assert.That(clean.AsSpan().SequenceEqual(train.AsSpan(Start * 784, (End - Start) * 784)), Is.True, "training images 100..399");
        var labels = File.ReadAllBytes(Path.Combine(Set, "corruptions", "labels-idx1-ubyte"))[8..];
        Assert.That(labels, Is.EqualTo(File.ReadAllBytes(TestData.TrainLabels)[(8 + Start)..(8 + End)]));
        Assert.That(File.ReadAllText(Path.Combine(Set, "SETTINGS")), Does.Contain($"train-slice={Start}:{End}"));
    }

    [Test]
    public void Evaluate_TrainSliceSet_ScoresItsOwnCleanImagesWithoutMnist()
    {
        var ml = new MLContext(seed: 1);
        var model = ml.Model.Load(ModelZip, out _);

        var results = RobustnessBenchmark.Evaluate(ml, model, Set).ToList();

        Assert.That(results.Select(r => r.Name), Is.EqualTo(new[] { "clean" }.Concat(Corruptions)));
        Assert.That(results.Select(r => r.Images), Is.All.EqualTo(End - Start));
        var slice = ml.Data.TakeRows(ml.Data.SkipRows(ml.Data.LoadFromIdx(TestData.TrainImages, TestData.TrainLabels), Start), End - Start);
        Assert.That(results[0].Accuracy, Is.EqualTo(ml.MulticlassClassification.Evaluate(model.Transform(slice)).MicroAccuracy).Within(1e-12));
        Assert.That(results.Skip(1).Select(r => r.IsCorruption), Is.All.True);
        Assert.That(results[0].IsCorruption, Is.False);
        (model as IDisposable)?.Dispose();
    }

    [Test]
    public void Evaluate_TestDerivedSetWithoutMnist_SaysWhatIsMissing()
    {
        using var other = new TemporaryDirectory();
        Directory.CreateDirectory(Path.Combine(other.Path, "corruptions"));
        File.WriteAllText(Path.Combine(other.Path, "corruptions", "index.tsv"), "shift\tmoved\n");

        var e = Assert.Throws<ArgumentException>(() => RobustnessBenchmark.Evaluate(new MLContext(), new TransformerChain<ITransformer>(), other.Path));

        Assert.That(e!.Message, Does.Contain("clean-images-idx3-ubyte").And.Contain("MNIST folder"));
    }

    [Test]
    public void Write_WithRobustnessSet_AddsALinePerSetAndTheMean()
    {
        var ml = new MLContext(seed: 1);
        var model = ml.Model.Load(ModelZip, out _);
        var expected = RobustnessBenchmark.Evaluate(ml, model, Set).ToList();
        (model as IDisposable)?.Dispose();
        string page = Path.Combine(folder.Path, "report.html");
        var test = ml.Data.TakeRows(ml.Data.LoadFromIdx(TestData.TestImages, TestData.TestLabels), 200);

        ModelReport.Write(ModelZip, test, page, new ModelReportOptions { RobustnessSet = Set });

        string html = File.ReadAllText(page);
        Assert.That(html, Does.Contain("<h2 id=\"robustness\">Robustness</h2>"));
        foreach (var r in expected)
            Assert.That(html, Does.Contain($"<td style=\"text-align:left\">{r.Name}</td><td>300</td><td>{r.Accuracy * 100:0.00} %</td>"), r.Name);
        double mean = expected.Skip(1).Average(r => r.Accuracy);
        Assert.That(html, Does.Contain($"<b>mean of the 2 corruptions</b></td><td></td><td><b>{mean * 100:0.00} %</b>"));
    }

    [Test]
    public void Write_RobustnessFolderWithoutIndex_ThrowsNamingIt()
    {
        var ml = new MLContext();
        var test = ml.Data.TakeRows(ml.Data.LoadFromIdx(TestData.TestImages, TestData.TestLabels), 10);

        var e = Assert.Throws<DirectoryNotFoundException>(() => ModelReport.Write(ModelZip, test, Path.Combine(folder.Path, "x.html"),
            new ModelReportOptions { RobustnessSet = folder.Path }));

        Assert.That(e!.Message, Does.Contain(folder.Path).And.Contain("corruptions/index.tsv"));
        Assert.That(File.Exists(Path.Combine(folder.Path, "x.html")), Is.False, "nothing written");
    }

    [TestCase("5:3", "START must be at least 0 and below END")]
    [TestCase("a:b", "is not START:END")]
    [TestCase("0:70000", "reaches past the 60000 training images")]
    public void Generator_BadTrainSlice_ExitsWithTheReason(string slice, string reason)
    {
        var run = RobustSet.Make("--mnist", TestData.MnistDirectory, "--out", Path.Combine(folder.Path, "bad"), "--only", "shift",
            "--no-writers", "--train-slice", slice);

        Assert.That(run.ExitCode, Is.Not.Zero);
        Assert.That(run.Error, Does.Contain(reason));
    }
}
