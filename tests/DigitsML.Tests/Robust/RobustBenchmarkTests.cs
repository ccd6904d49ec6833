// RobustBenchmarkTests.cs — the robustness benchmark's small subset in CI: make_robust.py's files and what they hold (three
// corruptions of the first 500 test images), and a tiny model scored per corruption by the library's RobustnessBenchmark (the bench's and the report's).
using DigitsML.Trainers;
using Microsoft.ML.Data;

namespace DigitsML.Tests.Robust;

[TestFixture]
[Category("Robust")]
public sealed class RobustBenchmarkTests
{
    private const int Count = 500;
    private static readonly string[] Corruptions = ["shift", "rotate", "gaussian_noise"];
    private TemporaryDirectory folder = null!;
    private string Set => Path.Combine(folder.Path, "set");
    private string CorruptionFile(string name) => Path.Combine(Set, "corruptions", $"{name}-images-idx3-ubyte");

    [OneTimeSetUp]
    public void MakeSubset()
    {
        folder = new TemporaryDirectory();
        var run = RobustSet.Make("--mnist", TestData.MnistDirectory, "--out", Set, "--only", string.Join(',', Corruptions),
            "--count", $"{Count}", "--no-writers");
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(run.Output.TrimEnd().Split('\n')[^1], Is.EqualTo($"robust_dir={Set}"), run.ToString());
    }

    [OneTimeTearDown]
    public void RemoveSubset() => folder.Dispose();

    [Test]
    public void Generator_Subset_WritesEachCorruptionWithLabelsIndexAndSums()
    {
        var index = File.ReadAllLines(Path.Combine(Set, "corruptions", "index.tsv")).Select(l => l.Split('\t')).ToList();
        Assert.That(index.Select(f => f[0]), Is.EqualTo(Corruptions), "index.tsv lists the corruptions asked for, in order");
        Assert.That(index.Select(f => f.Length == 2 && f[1].Length > 20), Is.All.True, "each with its one-line description");
        foreach (string name in Corruptions)
            Assert.That(RobustSet.ReadImages(CorruptionFile(name)).Count, Is.EqualTo(Count), name);
        // The labels are MNIST's first 500 test labels, and ML.NET's loader reads images and labels together.
        var labels = File.ReadAllBytes(Path.Combine(Set, "corruptions", "labels-idx1-ubyte"))[8..];
        Assert.That(labels.Select(l => (int)l), Is.EqualTo(TestData.MnistTest.Labels.Take(Count).Select(l => (int)l)));
        var view = new MLContext().Data.LoadFromIdx(CorruptionFile("shift"), Path.Combine(Set, "corruptions", "labels-idx1-ubyte"));
        Assert.That(view.GetRowCount(), Is.EqualTo(Count));
        RobustSet.AssertSumsListEveryFile(Set);
    }

    [Test]
    public void Shift_EveryImage_IsItsCleanImageMovedThreeToFivePixels()
    {
        var (_, shifted) = RobustSet.ReadImages(CorruptionFile("shift"));
        var (_, clean) = RobustSet.ReadImages(TestData.TestImages);
        int moved = 0, farCentre = 0;
        for (int i = 0; i < Count; i++)
        {
            var original = clean.AsSpan(i * 784, 784);
            var image = shifted.AsSpan(i * 784, 784);
            // The one move in -5..5 that gives exactly these bytes, and it must be at least 3 pixels along one axis.
            var match = (from dx in Enumerable.Range(-5, 11) from dy in Enumerable.Range(-5, 11)
                         where RobustSet.Moved(clean.AsSpan(i * 784, 784), dx, dy).AsSpan().SequenceEqual(shifted.AsSpan(i * 784, 784))
                         select (dx, dy)).ToList();
            if (match.Count == 1 && Math.Max(Math.Abs(match[0].dx), Math.Abs(match[0].dy)) >= 3)
                moved++;
            var (x0, y0) = RobustSet.CentreOfMass(original);
            var (x1, y1) = RobustSet.CentreOfMass(image);
            if (Math.Sqrt((x1 - x0) * (x1 - x0) + (y1 - y0) * (y1 - y0)) >= 2)
                farCentre++;
        }
        Assert.That(moved, Is.EqualTo(Count), "images that are their clean image moved by whole pixels, 3 to 5 along an axis");
        Assert.That(farCentre, Is.GreaterThanOrEqualTo(Count * 99 / 100), "images whose centre of mass moved 2 pixels or more");
    }

    [Test]
    public void Rotate_ElongatedDigits_TurnByFifteenToThirtyFiveDegrees()
    {
        var (_, rotated) = RobustSet.ReadImages(CorruptionFile("rotate"));
        var (_, clean) = RobustSet.ReadImages(TestData.TestImages);
        int elongated = 0, turned = 0;
        for (int i = 0; i < Count; i++)
        {
            var (before, elongation) = RobustSet.PrincipalAxis(clean.AsSpan(i * 784, 784));
            if (elongation < 2)
                continue; // a round digit's axis says little about its turn
            elongated++;
            var (after, _) = RobustSet.PrincipalAxis(rotated.AsSpan(i * 784, 784));
            double turn = Math.Abs(((after - before) % 180 + 270) % 180 - 90);
            if (turn is >= 12 and <= 38) // 15-35 degrees drawn; bilinear resampling moves the measured axis a little
                turned++;
        }
        Assert.That(elongated, Is.GreaterThan(Count / 2));
        Assert.That(turned, Is.GreaterThanOrEqualTo(elongated * 95 / 100), $"of {elongated} elongated digits");
    }

    [Test]
    public void GaussianNoise_BlackBackground_HalfLitWithSigmaPointTwo()
    {
        var (_, noisy) = RobustSet.ReadImages(CorruptionFile("gaussian_noise"));
        var (_, clean) = RobustSet.ReadImages(TestData.TestImages);
        int background = 0, lit = 0;
        double litSum = 0;
        for (int i = 0; i < Count * 784; i++)
        {
            if (clean[i] != 0)
                continue;
            background++;
            if (noisy[i] > 0)
            {
                lit++;
                litSum += noisy[i] / 255.0;
            }
        }
        // N(0, 0.2) clipped at 0: about half the black pixels become positive, with mean 0.2 * sqrt(2 / pi) = 0.16.
        Assert.That((double)lit / background, Is.InRange(0.45, 0.55));
        Assert.That(litSum / lit, Is.InRange(0.14, 0.18));
    }

    [Test]
    public void Generator_SameSeed_SameBytes_OtherSeed_OtherImages()
    {
        using var again = new TemporaryDirectory();
        var same = RobustSet.Make("--mnist", TestData.MnistDirectory, "--out", Path.Combine(again.Path, "a"), "--only", "shift",
            "--count", "100", "--no-writers");
        var other = RobustSet.Make("--mnist", TestData.MnistDirectory, "--out", Path.Combine(again.Path, "b"), "--only", "shift",
            "--count", "100", "--no-writers", "--seed", "2");
        Assert.That(same.ExitCode, Is.Zero, same.ToString());
        Assert.That(other.ExitCode, Is.Zero, other.ToString());
        byte[] full = File.ReadAllBytes(CorruptionFile("shift"));
        byte[] part = File.ReadAllBytes(Path.Combine(again.Path, "a", "corruptions", "shift-images-idx3-ubyte"));
        // The first 100 images of a 100-image run are those of the 500-image run: draws are made for the whole test set.
        Assert.That(part.AsSpan(16).SequenceEqual(full.AsSpan(16, 100 * 784)), Is.True);
        byte[] reseeded = File.ReadAllBytes(Path.Combine(again.Path, "b", "corruptions", "shift-images-idx3-ubyte"));
        Assert.That(reseeded.AsSpan(16).SequenceEqual(part.AsSpan(16)), Is.False, "another seed moves the digits otherwise");
    }

    [Test]
    public void Generator_BadArguments_ExitWithTheReason()
    {
        var unknown = RobustSet.Make("--mnist", TestData.MnistDirectory, "--out", Path.Combine(folder.Path, "x"), "--only", "shift,wobble");
        Assert.That(unknown.ExitCode, Is.EqualTo(2));
        Assert.That(unknown.Error, Does.Contain("unknown corruption(s) wobble"));
        var partialInCache = RobustSet.Make("--mnist", TestData.MnistDirectory, "--count", "10");
        Assert.That(partialInCache.ExitCode, Is.EqualTo(2));
        Assert.That(partialInCache.Error, Does.Contain("give --out DIR"));
        var noMnist = RobustSet.Make("--mnist", folder.Path, "--out", Path.Combine(folder.Path, "y"), "--only", "shift", "--no-writers");
        Assert.That(noMnist.ExitCode, Is.Not.Zero);
        Assert.That(noMnist.Error, Does.Contain("t10k-images-idx3-ubyte"));
        Assert.That(Directory.Exists(Path.Combine(folder.Path, "y")), Is.False, "no half-made set is left under the name");
    }

    [Test]
    public void Evaluate_TinyModel_ScoresCleanAndEachCorruption()
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.Cache(ml.Data.TakeRows(ml.Data.LoadFromIdx(TestData.TrainImages, TestData.TrainLabels), 5000));
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
            .Append(ml.MulticlassClassification.Trainers.Cnn(new CnnTrainer.Options { Architecture = CnnArchitectures.SeedNet, Epochs = 1, Seed = 1 }))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
        string zip = Path.Combine(folder.Path, "tiny.zip");
        using (var fitted = pipeline.Fit(train))
            ml.Model.Save(fitted, train.Schema, zip);
        var model = ml.Model.Load(zip, out _);

        var results = RobustnessBenchmark.Evaluate(ml, model, Set, TestData.MnistDirectory).ToList();
        foreach (var r in results)
            TestContext.Out.WriteLine(r);

        Assert.That(results.Select(r => r.Name), Is.EqualTo(new[] { "clean" }.Concat(Corruptions)), "no writers/ in this subset");
        Assert.That(results.Select(r => r.Images), Is.All.EqualTo(Count), "clean scores the same 500 test images");
        // The count agrees with ML.NET's own evaluator on the same rows.
        var clean = ml.Data.TakeRows(ml.Data.LoadFromIdx(TestData.TestImages, TestData.TestLabels), Count);
        var shifted = ml.Data.LoadFromIdx(CorruptionFile("shift"), Path.Combine(Set, "corruptions", "labels-idx1-ubyte"));
        Assert.That(results[0].Accuracy, Is.EqualTo(ml.MulticlassClassification.Evaluate(model.Transform(clean)).MicroAccuracy).Within(1e-12));
        Assert.That(results[1].Accuracy, Is.EqualTo(ml.MulticlassClassification.Evaluate(model.Transform(shifted)).MicroAccuracy).Within(1e-12));
        Assert.That(results[0].Accuracy, Is.GreaterThan(0.85), "SeedNet after one epoch on 5,000 images");
        // Trained without any augmentation, it loses on digits moved 3-5 pixels: the benchmark sees what it is for.
        Assert.That(results[1].Accuracy, Is.LessThan(results[0].Accuracy - 0.15));
        Assert.That(results[0].ToString(), Does.Match(@"^robust_set=clean images=500 correct=\d+ accuracy=0\.\d{4}$"));
        (model as IDisposable)?.Dispose();
    }

    [Test]
    public void Evaluate_FolderWithoutIndex_NamesIt()
    {
        var ml = new MLContext();
        var e = Assert.Throws<DirectoryNotFoundException>(() => RobustnessBenchmark.Evaluate(ml, new TransformerChain<ITransformer>(), folder.Path, TestData.MnistDirectory).ToList());
        Assert.That(e!.Message, Does.Contain(folder.Path).And.Contain("corruptions/index.tsv"));
    }
}
