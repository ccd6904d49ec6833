// PackageTests.cs — the NuGet packages dotnet pack makes (DigitsML.Scoring without TorchSharp; DigitsML with TorchSharp,
// the libtorch backend and the Debian 12 fix-up), and samples/Packaged restored from them alone, outside the repository.
using System.IO.Compression;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using DigitsML.Testing;

namespace DigitsML.Packaging.Tests;

[TestFixture]
public sealed partial class PackageTests
{
    private static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(3), SampleTimeout = TimeSpan.FromMinutes(10);

    private TemporaryDirectory packages = null!;
    private string version = null!;
    private readonly List<Build.Result> packRuns = [];

    private sealed record Package(string Id, string Version, IReadOnlyList<(string Id, string Version)> Dependencies, IReadOnlyList<string> Files);

    [OneTimeSetUp]
    public void Pack()
    {
        packages = new TemporaryDirectory();
        // A version of its own, so that nothing an earlier run left in a NuGet cache can stand in for these packages.
        version = $"0.0.0-test.{DateTime.UtcNow:yyyyMMddHHmmssfff}";
        foreach (var project in new[] { "src/DigitsML.Scoring/DigitsML.Scoring.csproj", "src/DigitsML/DigitsML.csproj", "src/DigitsML.Hosting/DigitsML.Hosting.csproj" })
        {
            // --no-build: packs what this test project's build just built, without building into src/ again.
            var run = Build.DotNet(["pack", Path.Combine(Build.RepoRoot, project), "-c", Build.Configuration, "--no-build",
                "-o", packages.Path, $"-p:Version={version}", "-nologo", "-nodeReuse:false"], Build.RepoRoot, PackTimeout);
            Assert.That(run.ExitCode, Is.Zero, run.ToString());
            packRuns.Add(run);
        }
    }

    [OneTimeTearDown]
    public void RemovePackages() => packages?.Dispose();

    private XElement Metadata(string id)
    {
        using var zip = ZipFile.OpenRead(Path.Combine(packages.Path, $"{id}.{version}.nupkg"));
        using var nuspec = zip.GetEntry($"{id}.nuspec")!.Open();
        return XDocument.Load(nuspec).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
    }

    private Package Read(string id)
    {
        string path = Path.Combine(packages.Path, $"{id}.{version}.nupkg");
        Assert.That(File.Exists(path), Is.True, $"dotnet pack did not write {path}");
        using var zip = ZipFile.OpenRead(path);
        using var nuspec = zip.GetEntry($"{id}.nuspec")!.Open();
        var metadata = XDocument.Load(nuspec).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string Value(string name) => metadata.Elements().Single(e => e.Name.LocalName == name).Value;
        var dependencies = metadata.Descendants().Where(e => e.Name.LocalName == "dependency")
            .Select(e => (e.Attribute("id")!.Value, e.Attribute("version")!.Value)).ToList();
        return new Package(Value("id"), Value("version"), dependencies, [.. zip.Entries.Select(e => e.FullName)]);
    }

    private byte[] Entry(string id, string name)
    {
        using var zip = ZipFile.OpenRead(Path.Combine(packages.Path, $"{id}.{version}.nupkg"));
        using var stream = zip.GetEntry(name)!.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    [Test]
    public void Pack_ScoringPackage_ScoresWithMLNetAndOnnxRuntimeWithoutTorchSharp()
    {
        var package = Read("DigitsML.Scoring");

        var ids = package.Dependencies.Select(d => d.Id).ToList();
        Assert.That(package.Version, Is.EqualTo(version));
        Assert.That(ids, Has.None.StartsWith("TorchSharp").IgnoreCase.And.None.StartsWith("libtorch").IgnoreCase.And.None.EqualTo("DigitsML"));
        Assert.That(ids, Is.SupersetOf(new[] { "Microsoft.ML", "Microsoft.ML.OnnxTransformer", "Microsoft.ML.OnnxRuntime", "Microsoft.ML.ImageAnalytics", "Google.Protobuf" }));
        Assert.That(ids, Has.None.EqualTo("Grpc.Tools"), "protoc runs at our build only");
        Assert.That(package.Files, Does.Contain("lib/net10.0/DigitsML.Scoring.dll").And.Contain("lib/net10.0/DigitsML.Scoring.xml"));
        Assert.That(package.Files, Has.None.Contains("DigitsML.dll"));
    }

    [Test]
    public void Pack_HostingPackage_DependsOnScoringAndTheExtensionsAbstractionsWithoutTorchSharp()
    {
        var package = Read("DigitsML.Hosting");

        var ids = package.Dependencies.Select(d => d.Id).ToList();
        Assert.That(ids, Does.Contain("DigitsML.Scoring").And.Contain("Microsoft.Extensions.Diagnostics.HealthChecks")
            .And.Contain("Microsoft.Extensions.Options.ConfigurationExtensions"));
        Assert.That(ids, Has.None.StartsWith("TorchSharp").IgnoreCase.And.None.StartsWith("libtorch").IgnoreCase.And.None.EqualTo("DigitsML"));
        Assert.That(package.Files, Does.Contain("lib/net10.0/DigitsML.Hosting.dll").And.Contain("lib/net10.0/DigitsML.Hosting.xml"));
    }

    [Test]
    public void Pack_TrainingPackage_DependsOnThisScoringVersionTorchSharpAndTheBackend()
    {
        var package = Read("DigitsML");

        Assert.That(package.Dependencies, Does.Contain(("DigitsML.Scoring", version)), "this version or later: it uses the public API only");
        Assert.That(package.Dependencies.Select(d => d.Id), Does.Contain("TorchSharp").And.Contain(Build.TorchBackend).And.Contain("Microsoft.ML"));
        Assert.That(package.Dependencies.Select(d => d.Id), Has.None.EqualTo("Grpc.Tools"), "protoc runs at our build only");
        Assert.That(package.Files, Does.Contain("lib/net10.0/DigitsML.dll").And.Contain("lib/net10.0/DigitsML.xml"));
    }

    [TestCase("DigitsML.Scoring")]
    [TestCase("DigitsML")]
    [TestCase("DigitsML.Hosting")]
    public void Pack_EachPackage_CarriesLicenceIconReleaseNotesSourceCommitAndSymbols(string id)
    {
        var metadata = Metadata(id);
        XElement? Element(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name);

        Assert.That(Element("license")?.Value, Is.EqualTo("MIT"));
        Assert.That(Element("license")?.Attribute("type")?.Value, Is.EqualTo("expression"));
        Assert.That(Element("icon")?.Value, Is.EqualTo("icon.png"));
        Assert.That(Entry(id, "icon.png"), Is.EqualTo(File.ReadAllBytes(Path.Combine(Build.RepoRoot, "build", "package", "icon.png"))));
        Assert.That(Element("readme")?.Value, Is.EqualTo("PACKAGE.md"));
        Assert.That(Element("copyright")?.Value, Does.Contain("DigitsML contributors"));
        // The newest CHANGELOG.md section, whole.
        string changelog = File.ReadAllText(Path.Combine(Build.RepoRoot, "CHANGELOG.md"));
        string newest = Regex.Match(changelog, @"(?ms)^## .*?(?=^## |\z)").Value.Trim();
        Assert.That(newest, Does.StartWith("## "));
        Assert.That(Element("releaseNotes")?.Value.ReplaceLineEndings("\n"), Is.EqualTo(newest.ReplaceLineEndings("\n")));
        // SourceLink: the commit this repository's HEAD is at.
        var head = Build.Run("git", ["rev-parse", "HEAD"], Build.RepoRoot, PackTimeout);
        Assert.That(Element("repository")?.Attribute("commit")?.Value, Is.EqualTo(head.Output.Trim()), head.ToString());
        Assert.That(File.Exists(Path.Combine(packages.Path, $"{id}.{version}.snupkg")), Is.True, "symbol package");
    }

    [Test]
    public void Pack_EveryPackage_NoWarnings()
    {
        Assert.That(packRuns, Has.Count.EqualTo(3));
        foreach (var run in packRuns)
            Assert.That(run.Output + run.Error, Does.Not.Contain(": warning "), run.ToString());
    }

    [TestCase("DigitsML.targets")]
    [TestCase("RelaxLibstdcxxVersion.cs")]
    public void Pack_TrainingPackage_CarriesTheDebianFixUpInBuildTransitive(string file)
    {
        var packed = Entry("DigitsML", $"buildTransitive/{file}");

        Assert.That(packed, Is.EqualTo(File.ReadAllBytes(Path.Combine(Build.RepoRoot, "src", "DigitsML", "buildTransitive", file))));
    }

    [Test]
    public void Pack_Solution_OnlyTheThreeLibrariesArePackable()
    {
        var list = Build.DotNet(["sln", Path.Combine(Build.RepoRoot, "DigitsML.sln"), "list"], Build.RepoRoot, PackTimeout);
        Assert.That(list.ExitCode, Is.Zero, list.ToString());
        var projects = list.Output.Split('\n').Select(l => l.Trim()).Where(l => l.EndsWith(".csproj", StringComparison.Ordinal)).ToList();
        Assert.That(projects, Has.Count.GreaterThan(2));

        var packable = projects.Where(p =>
        {
            var run = Build.DotNet(["msbuild", Path.Combine(Build.RepoRoot, p), "-getProperty:IsPackable", "-nologo", "-nodeReuse:false"], Build.RepoRoot, PackTimeout);
            Assert.That(run.ExitCode, Is.Zero, run.ToString());
            return run.Output.Trim() == "true";
        }).Select(p => Path.GetFileName(p)).ToList();

        Assert.That(packable, Is.EquivalentTo(new[] { "DigitsML.Scoring.csproj", "DigitsML.csproj", "DigitsML.Hosting.csproj" }));
    }

    [Test]
    [Category("Slow")]
    public void PackagedSample_OnMLNet5AndMLNet6_RestoresFromThePackagesRunsAndEachLoadsTheOthersModel()
    {
        using var cache = new TemporaryDirectory();
        var apps = new Dictionary<string, string>();   // ML.NET version → the sample's output folder
        var samples = new List<TemporaryDirectory>();
        try
        {
            foreach (var (mlnet, skia) in new[] { ("6.0.0", "3.119.2"), ("5.0.1", "2.88.9") })
            {
                var sample = new TemporaryDirectory();
                samples.Add(sample);
                apps[mlnet] = RunPackagedSample(sample.Path, cache.Path, mlnet, skia);
            }
            // Each version's saved model, scored by both apps: the same accuracy and bit-identical scores.
            foreach (var (savedUnder, savedFolder) in apps)
            {
                string zip = Path.Combine(savedFolder, "digits.zip");
                var lines = apps.Select(app =>
                {
                    var run = Build.DotNet([Path.Combine(app.Value, "Packaged.dll"), "score", zip, MnistFiles.Directory], app.Value, SampleTimeout,
                        new Dictionary<string, string> { ["DOTNET_SYSTEM_GLOBALIZATION_INVARIANT"] = "1" });
                    Assert.That(run.ExitCode, Is.Zero, run.ToString());
                    var match = Regex.Match(run.Output, @"Scored .* on Microsoft\.ML (\d+\.\d+\.\d+): micro-accuracy (\d+\.\d+) %, scores SHA-256 ([0-9A-F]{64})");
                    Assert.That(match.Success, Is.True, run.ToString());
                    Assert.That(match.Groups[1].Value, Is.EqualTo(app.Key), "the app runs on its own ML.NET version");
                    TestContext.Progress.WriteLine($"model saved under ML.NET {savedUnder}, scored under {app.Key}: {match.Value}");
                    return (Accuracy: match.Groups[2].Value, Hash: match.Groups[3].Value);
                }).ToList();
                Assert.That(lines.Select(l => l.Hash).Distinct().Count(), Is.EqualTo(1), $"the model saved under ML.NET {savedUnder} scores differently");
                Assert.That(lines.Select(l => l.Accuracy).Distinct().Count(), Is.EqualTo(1));
            }
        }
        finally
        {
            foreach (var sample in samples)
                sample.Dispose();
        }
    }

    /// <summary>Restores samples/Packaged on Microsoft.ML <paramref name="mlnet"/> from this test's packages alone (in
    /// <paramref name="folder"/>, outside the repository), builds and runs its programs; returns its output folder.</summary>
    private string RunPackagedSample(string folder, string nugetCache, string mlnet, string skia)
    {
        foreach (var file in new[] { "Program.cs", "Packaged.csproj", "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props" })
            File.Copy(Path.Combine(Build.RepoRoot, "samples", "Packaged", file), Path.Combine(folder, file));
        // The sample's own nuget.config, pointed at this test's packages instead of artifacts/packages.
        File.WriteAllText(Path.Combine(folder, "nuget.config"), File.ReadAllText(Path.Combine(Build.RepoRoot, "samples", "Packaged", "nuget.config"))
            .Replace("\"../../artifacts/packages\"", $"\"{packages.Path}\"", StringComparison.Ordinal));
        Assert.That(File.ReadAllText(Path.Combine(folder, "nuget.config")), Does.Contain(packages.Path));
        // An empty NuGet packages folder, with the usual one as a fallback for everything but DigitsML: the DigitsML
        // packages are extracted from this test's .nupkg files, libtorch is not copied again (0.5 GB).
        var global = Build.DotNet(["nuget", "locals", "global-packages", "--list"], folder, PackTimeout);
        string fallback = global.Output.Trim().Replace("global-packages: ", "", StringComparison.Ordinal);
        var environment = new Dictionary<string, string> { ["NUGET_PACKAGES"] = nugetCache };
        string[] properties = [$"-p:DigitsMLPackageVersion={version}", $"-p:MLNetVersion={mlnet}"];

        var restore = Build.DotNet(["restore", "-nologo", "-nodeReuse:false", .. properties, $"-p:RestoreAdditionalProjectFallbackFolders={fallback}"],
            folder, PackTimeout, environment);
        Assert.That(restore.ExitCode, Is.Zero, restore.ToString());
        // Hard links into the NuGet cache instead of a second copy of libtorch, as this repository builds.
        var build = Build.DotNet(["build", "-c", "Release", "--no-restore", "-nologo", "-nodeReuse:false", .. properties, "-p:CreateHardLinksForCopyLocalIfPossible=true"],
            folder, PackTimeout, environment);
        Assert.That(build.ExitCode, Is.Zero, build.ToString());
        string output = Path.Combine(folder, "bin", "Release", "net10.0");
        var run = Build.DotNet([Path.Combine(output, "Packaged.dll"), MnistFiles.Directory, "1", Build.Photos, "5000"], folder, SampleTimeout,
            new Dictionary<string, string> { ["DOTNET_SYSTEM_GLOBALIZATION_INVARIANT"] = "1" }); // numbers as the checks below read them
        TestContext.Progress.WriteLine($"samples/Packaged on ML.NET {mlnet} from the packages: restore {restore.Elapsed.TotalSeconds:F0} s, " +
                                       $"build {build.Elapsed.TotalSeconds:F0} s, run {run.Elapsed.TotalSeconds:F0} s\n{run.Output}");

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        var libraries = Libraries(Path.Combine(output, "Packaged.deps.json"));
        Assert.That(libraries, Does.Contain(("DigitsML", version, "package")).And.Contain(("DigitsML.Scoring", version, "package"))
            .And.Contain(("Microsoft.ML", mlnet, "package")).And.Contain(("SkiaSharp", skia, "package")));
        Assert.That(Directory.GetDirectories(nugetCache).Select(Path.GetFileName), Is.EquivalentTo(new[] { "digitsml", "digitsml.scoring" }));
        // Measured here: SeedNet 91.79 %, the soft vote 94.91 % (its members 89.92 to 94.60 %), on the 10,000 test images.
        Assert.That(Accuracy(run.Output, "SeedNet, 1 epoch\\(s\\) on 5,000 images: test"), Is.GreaterThan(0.88));
        Assert.That(run.Output, Does.Contain("Reloaded ").And.Contain("truth 7  predicted "));
        Assert.That(run.Output, Does.Match("Photos in .*: 30 images, micro-accuracy"));
        Assert.That(Accuracy(run.Output, "ensemble:"), Is.GreaterThan(0.9));
        return output;
    }

    /// <summary>The micro-accuracy printed after <paramref name="prefix"/> (a regular expression).</summary>
    private static double Accuracy(string output, string prefix)
    {
        var match = Regex.Match(output, prefix + @" micro-accuracy (\d+\.\d+) %");
        Assert.That(match.Success, Is.True, $"no '{prefix} micro-accuracy' in the output");
        return double.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) / 100;
    }

    /// <summary>(name, version, type) of each library a deps.json lists.</summary>
    private static List<(string, string, string)> Libraries(string depsJson)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(depsJson));
        return [.. document.RootElement.GetProperty("libraries").EnumerateObject()
            .Select(p => (p.Name.Split('/')[0], p.Name.Split('/')[1], p.Value.GetProperty("type").GetString()!))];
    }
}
