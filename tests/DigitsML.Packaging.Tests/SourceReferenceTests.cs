// SourceReferenceTests.cs — an app outside the repository that references DigitsML from source (ProjectReference) with
// the documented one-line import, and Microsoft.ML.TorchSharp 0.24.0 beside it: it builds, trains and runs both.
using System.Text.RegularExpressions;
using DigitsML.Testing;

namespace DigitsML.Packaging.Tests;

[TestFixture]
[Category("Slow")]
public sealed class SourceReferenceTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    [Test]
    public void SourceReference_WithTheImport_LoadsLibTorchSharpAndCoexistsWithMicrosoftMLTorchSharp()
    {
        using var app = new TemporaryDirectory();
        foreach (var file in new[] { "SourceReference.csproj", "Program.cs" })
            File.Copy(Path.Combine(Build.RepoRoot, "tests", "DigitsML.Packaging.Tests", "Consumers", "SourceReference", file), Path.Combine(app.Path, file));
        string[] properties = [$"-p:DigitsMLSource={Build.RepoRoot.TrimEnd('/')}"];

        var build = Build.DotNet(["build", "-c", "Release", "-nologo", "-nodeReuse:false", .. properties], app.Path, Timeout);
        Assert.That(build.ExitCode, Is.Zero, build.ToString());
        string output = Path.Combine(app.Path, "bin", "Release", "net10.0");
        var run = Build.DotNet([Path.Combine(output, "SourceReference.dll"), MnistFiles.Directory, "5000"], app.Path, Timeout,
            new Dictionary<string, string> { ["DOTNET_SYSTEM_GLOBALIZATION_INVARIANT"] = "1" });
        TestContext.Progress.WriteLine($"source-reference app: build {build.Elapsed.TotalSeconds:F0} s, run {run.Elapsed.TotalSeconds:F0} s\n{run.Output}");

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        var accuracy = Regex.Match(run.Output, @"DigitsML DigitNet micro-accuracy (\d\.\d+)");
        Assert.That(accuracy.Success, Is.True, run.ToString());
        // DigitNet, 1 epoch on 5,000 images, 2,000 test images: about 0.9 here.
        Assert.That(double.Parse(accuracy.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThan(0.8));
        Assert.That(run.Output, Does.Contain("Microsoft.ML.TorchSharp estimator Microsoft.ML.TorchSharp."));
        Assert.That(run.Output, Does.Contain("TorchSharp 0.107.0"));
        // Without the import TorchSharp's fallback copies a whole libtorch (about 0.5 GB) into cpu/ and then fails.
        Assert.That(Directory.Exists(Path.Combine(output, "cpu")), Is.False, "TorchSharp fell back to copying libtorch");
    }
}
