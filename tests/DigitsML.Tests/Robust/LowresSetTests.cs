// LowresSetTests.cs — the low-resolution set of issue 23 (bench/robust/make_lowres.py) on 6 glyphs per digit: two splits
// from disjoint font packages, each a folder the robustness benchmark reads, the scans 8-16 pixels tall, the framed
// images MNIST's framing, the same bytes from the same seed.
using Microsoft.ML.Data;

namespace DigitsML.Tests.Robust;

[TestFixture]
[Category("Robust")]
public sealed class LowresSetTests
{
    private const int PerDigit = 6, Count = PerDigit * 10;
    private static readonly string[] Splits = ["validation", "test"];
    private TemporaryDirectory folder = null!;
    private string Set => Path.Combine(folder.Path, "lowres");
    private string Split(string name) => Path.Combine(Set, name);

    [OneTimeSetUp]
    public void MakeSet()
    {
        folder = new TemporaryDirectory();
        var run = RobustSet.MakeLowres("--out", Set, "--count", $"{PerDigit}");
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(run.Output.TrimEnd().Split('\n'), Is.EqualTo(Splits.Select(s => $"lowres_{s}={Split(s)}")), run.ToString());
    }

    [OneTimeTearDown]
    public void RemoveSet() => folder.Dispose();

    /// <summary>The rows of a split's sources.tsv: photo, rendered, label and the drawn parameters by name.</summary>
    private List<(string Photo, string Rendered, int Label, Dictionary<string, string> Drawn)> Sources(string split) =>
        [.. File.ReadLines(Path.Combine(Split(split), "writers", "sources.tsv")).Skip(1).Select(line => line.Split('\t'))
            .Select(f => (f[0], f[1], int.Parse(f[2]), f[3].Split(' ').Select(kv => kv.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1])))];

    [Test]
    public void Splits_DrawFromDisjointFontPackages()
    {
        var packages = Splits.ToDictionary(s => s, s => Sources(s).Select(r => r.Drawn["package"]).ToHashSet());
        var fonts = Splits.ToDictionary(s => s, s => Sources(s).Select(r => r.Drawn["font"]).ToHashSet());
        Assert.That(packages["validation"].Overlaps(packages["test"]), Is.False, "no font package in both splits");
        Assert.That(fonts["validation"].Overlaps(fonts["test"]), Is.False, "no font file in both splits");
        Assert.That(packages["validation"], Has.Count.GreaterThanOrEqualTo(3), "validation draws from several packages");
        Assert.That(packages["test"], Has.Count.GreaterThanOrEqualTo(3), "test draws from several packages");
        // SETTINGS names the split, and each split draws only from its own packages.
        string settings = File.ReadAllText(Path.Combine(Set, "SETTINGS"));
        foreach (string s in Splits)
        {
            string listed = settings.Split(' ').Single(p => p.StartsWith($"{s}=", StringComparison.Ordinal))[(s.Length + 1)..];
            Assert.That(packages[s], Is.SubsetOf(listed.Split(',')), s);
        }
    }

    [Test]
    public void EachSplit_IsARobustnessFolderOfEveryRowWithSums()
    {
        var ml = new MLContext();
        foreach (string s in Splits)
        {
            string c = Path.Combine(Split(s), "corruptions"), w = Path.Combine(Split(s), "writers");
            var index = File.ReadAllLines(Path.Combine(c, "index.tsv")).Select(l => l.Split('\t')[0]);
            Assert.That(index, Is.EqualTo(new[] { "lowres_8to11", "lowres_12to16" }), s);
            foreach (string images in index.Select(n => Path.Combine(c, $"{n}-images-idx3-ubyte"))
                         .Append(Path.Combine(c, "clean-images-idx3-ubyte")).Append(Path.Combine(w, "rendered-images-idx3-ubyte")))
                Assert.That(RobustSet.ReadImages(images).Count, Is.EqualTo(Count), images);
            var labels = File.ReadAllBytes(Path.Combine(c, "labels-idx1-ubyte"))[8..];
            Assert.That(labels.Select(l => (int)l), Is.EqualTo(Enumerable.Range(0, Count).Select(i => i % 10)), s);
            Assert.That(File.ReadAllBytes(Path.Combine(w, "rendered-labels-idx1-ubyte")), Is.EqualTo(File.ReadAllBytes(Path.Combine(c, "labels-idx1-ubyte"))));
            // The photos are the scans as image files, labelled by their folder, and all decode.
            var photos = ml.Data.CheckImageFiles(ml.Data.LoadFromImageFolder(Path.Combine(w, "photos")));
            Assert.That(photos.Preview(maxRows: 1000).RowView, Has.Length.EqualTo(Count), s);
            Assert.That(Sources(s).Select(r => r.Label), Is.EqualTo(labels.Select(l => (int)l)), s);
        }
        RobustSet.AssertSumsListEveryFile(Set);
    }

    [Test]
    public void Scans_AreEightToSixteenPixelsTall_FramedAsMnistFramesItsDigits()
    {
        foreach (string s in Splits)
        {
            var sources = Sources(s);
            var (_, framed) = RobustSet.ReadImages(Path.Combine(Split(s), "writers", "rendered-images-idx3-ubyte"));
            for (int i = 0; i < Count; i++)
            {
                double height = double.Parse(sources[i].Drawn["height"], System.Globalization.CultureInfo.InvariantCulture);
                Assert.That(height, Is.InRange(8.0, 16.0), $"{s} {sources[i].Photo}");
                // The scan file holds the digit and a few pixels of paper around it: no taller than the digit and 2 x 6 margins.
                var (_, scanHeight) = ImageSize(Path.Combine(Split(s), "writers", sources[i].Photo));
                Assert.That(scanHeight, Is.InRange((int)height + 4, (int)height + 14), $"{s} {sources[i].Photo}");
                // Framed: the ink's box fits 20 x 20 with its longer side about 20, centre of mass within a pixel of (14, 14).
                var image = framed.AsSpan(i * 784, 784);
                int top = 28, bottom = -1, left = 28, right = -1;
                for (int p = 0; p < 784; p++)
                    if (image[p] > 0)
                    {
                        top = Math.Min(top, p / 28); bottom = Math.Max(bottom, p / 28);
                        left = Math.Min(left, p % 28); right = Math.Max(right, p % 28);
                    }
                Assert.That(Math.Max(bottom - top, right - left) + 1, Is.InRange(17, 20), $"{s} {sources[i].Rendered}");
                var (x, y) = RobustSet.CentreOfMass(image);
                Assert.That(Math.Abs(x - 14) <= 1.01 && Math.Abs(y - 14) <= 1.01, Is.True, $"{s} {sources[i].Rendered}: ({x:F2}, {y:F2})");
            }
        }
    }

    [Test]
    public void Generator_SameSeed_SameBytes_PartialSetNeedsOut()
    {
        using var again = new TemporaryDirectory();
        var same = RobustSet.MakeLowres("--out", Path.Combine(again.Path, "a"), "--count", $"{PerDigit}");
        Assert.That(same.ExitCode, Is.Zero, same.ToString());
        Assert.That(File.ReadAllText(Path.Combine(again.Path, "a", "SHA256SUMS")), Is.EqualTo(File.ReadAllText(Path.Combine(Set, "SHA256SUMS"))));
        var partialInCache = RobustSet.MakeLowres("--count", "2");
        Assert.That(partialInCache.ExitCode, Is.EqualTo(2));
        Assert.That(partialInCache.Error, Does.Contain("give --out DIR"));
    }

    /// <summary>Width and height of an image file, decoded as LoadImages decodes it.</summary>
    private static (int Width, int Height) ImageSize(string path)
    {
        using var image = MLImage.CreateFromFile(path);
        return (image.Width, image.Height);
    }
}
