// AtomicSaveTests.cs — a process killed while saving a model zip through ml.Model.SaveAtomically leaves the previous file
// intact: it loads and scores exactly as the model saved; only the killed save's temporary file may be left beside it.
using System.Diagnostics;
using DigitsML.Testing;
using Microsoft.ML;

namespace DigitsML.Tests.Reliability;

[TestFixture]
[Category("Slow")]
public sealed class AtomicSaveTests
{
    private const int Kills = 4;
    private const int Images = 20;

    [Test]
    public void SaveAtomically_ProcessKilledMidSave_PreviousFileLoadsAndScoresAsTheModel()
    {
        string helper = Path.Combine(AppContext.BaseDirectory, "DigitsML.SaveLoop.dll");
        string source = Path.Combine(AppContext.BaseDirectory, "save-loop-model.zip");
        Assert.That(File.Exists(helper), Is.True, $"{helper} was not built next to the tests");
        using var folder = new TemporaryDirectory();
        string model = Path.Combine(folder.Path, "model.zip");
        var ml = new MLContext();
        var images = ml.Data.CreateEnumerable<DigitInput>(
            ml.Data.TakeRows(ml.Data.LoadFromIdx(TestData.TestImages, TestData.TestLabels), Images), reuseRowObject: false).ToList();
        var expected = Scores(source, images);
        var random = new Random(5);
        int killedWhileWritingTemporary = 0;

        for (int kill = 0; kill < Kills; kill++)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(helper);
            start.ArgumentList.Add(model);
            using var child = Process.Start(start)!;
            try
            {
                // Wait for one complete save (the "previous file"), then kill at a random moment of the following ones.
                string? line = child.StandardOutput.ReadLine();
                if (line is null || !line.StartsWith("saved", StringComparison.Ordinal))
                    Assert.Fail($"the helper failed: {child.StandardError.ReadToEnd()}");  // it has exited: stderr is complete
                Thread.Sleep(random.Next(0, 400));
            }
            finally
            {
                child.Kill(entireProcessTree: true);
                child.WaitForExit();
            }
            var temporaries = Directory.GetFiles(folder.Path, ".model.zip.*.tmp");
            if (temporaries.Length > 0)
                killedWhileWritingTemporary++;

            Assert.That(Scores(model, images), Is.EqualTo(expected), $"kill {kill}: the file left does not score as the model saved");
            Assert.That(Directory.GetFiles(folder.Path).Where(f => f != model && !temporaries.Contains(f)), Is.Empty,
                "only the model and the killed save's temporary file are in the folder");
        }
        TestContext.Out.WriteLine($"{Kills} kills, {killedWhileWritingTemporary} while a temporary file was being written");
        Assert.That(killedWhileWritingTemporary, Is.GreaterThan(0), "no kill landed mid-save, so the test proved nothing");
    }

    [Test]
    public void SaveAtomically_FolderMissing_ThrowsAndLeavesNothing()
    {
        using var folder = new TemporaryDirectory();
        var ml = new MLContext();
        using var loaded = (IDisposable)ml.Model.Load(Path.Combine(AppContext.BaseDirectory, "save-loop-model.zip"), out var schema);
        string target = Path.Combine(folder.Path, "absent", "model.zip");
        Assert.Throws<DirectoryNotFoundException>(() => ml.Model.SaveAtomically((ITransformer)loaded, schema, target));
        Assert.That(Directory.GetFileSystemEntries(folder.Path), Is.Empty);
    }

    /// <summary>Every image's probabilities from the model zip at <paramref name="path"/>, loaded as an app loads it.</summary>
    private static List<IReadOnlyList<float>> Scores(string path, List<DigitInput> images)
    {
        using var classifier = DigitClassifier.Load(path);
        return [.. images.Select(i => classifier.Predict(i.Features).Probabilities)];
    }
}
