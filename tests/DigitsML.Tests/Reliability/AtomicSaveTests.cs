// AtomicSaveTests.cs — a process killed while saving leaves the previous model file intact: it loads, its hashes verify.
using System.Diagnostics;
using DigitsML.Engine;
using DigitsML.Tests.Engine;
using DigitsML.Testing;

namespace DigitsML.Tests.Reliability;

[TestFixture]
[Category("Slow")]
public sealed class AtomicSaveTests
{
    private const ulong Seed = 21;
    private const int Kills = 4;

    [Test]
    public void Save_ProcessKilledMidSave_PreviousFileLoadsWithVerifiedHashes()
    {
        string helper = Path.Combine(AppContext.BaseDirectory, "DigitsML.SaveLoop.dll");
        Assert.That(File.Exists(helper), Is.True, $"{helper} was not built next to the tests");
        using var folder = new TemporaryDirectory();
        string model = Path.Combine(folder.Path, "model.zip");
        using var expected = Network.Create(SaveLoopNetwork.Definition, seed: Seed);
        var expectedState = expected.GetState();
        var random = new Random(5);
        int killedWhileWritingTemporary = 0;

        for (int kill = 0; kill < Kills; kill++)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(helper);
            start.ArgumentList.Add(model);
            start.ArgumentList.Add(Seed.ToString(System.Globalization.CultureInfo.InvariantCulture));
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

            // NetworkFile.Load checks the version, every SHA-256 in the manifest and every size bound.
            using var loaded = NetworkFile.Load(model);
            Assert.That(EngineFixtures.StatesEqual(loaded.GetState(), expectedState), Is.True, $"kill {kill}: the file holds other weights");
            Assert.That(Directory.GetFiles(folder.Path).Where(f => f != model && !temporaries.Contains(f)), Is.Empty,
                "only the model and the killed save's temporary file are in the folder");
        }
        TestContext.Out.WriteLine($"{Kills} kills, {killedWhileWritingTemporary} while a temporary file was being written");
        Assert.That(killedWhileWritingTemporary, Is.GreaterThan(0), "no kill landed mid-save, so the test proved nothing");
    }
}
