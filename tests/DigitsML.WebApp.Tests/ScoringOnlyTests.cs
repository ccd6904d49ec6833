// ScoringOnlyTests.cs — the app scores with DigitsML.Scoring alone: neither TorchSharp nor libtorch in its output folder or
// its dependency file, and no reference to the training assembly.
using System.Reflection;
using System.Text.Json;

namespace DigitsML.WebApp.Tests;

[TestFixture]
public sealed class ScoringOnlyTests
{
    private static string Output => Path.GetDirectoryName(Build.WebAppDll)!;

    [Test]
    public void Output_NoTorchSharpNoLibtorch()
    {
        var files = Directory.GetFiles(Output, "*", SearchOption.AllDirectories).Select(Path.GetFileName).ToList();

        Assert.That(files, Has.Member("DigitsML.Scoring.dll").And.Member("Microsoft.ML.OnnxTransformer.dll"));
        Assert.That(files, Has.None.Contains("torch").IgnoreCase.And.None.Matches<string>(f => f == "DigitsML.dll"));
    }

    [Test]
    public void DepsJson_NoTorchSharpNoTrainingAssembly()
    {
        using var deps = JsonDocument.Parse(File.ReadAllText(Path.Combine(Output, "WebApp.deps.json")));
        var libraries = deps.RootElement.GetProperty("libraries").EnumerateObject().Select(p => p.Name.Split('/')[0]).ToList();

        Assert.That(libraries, Has.Member("DigitsML.Scoring"));
        Assert.That(libraries, Has.None.Contains("torch").IgnoreCase.And.None.EqualTo("DigitsML"));
    }

    [Test]
    public void Assembly_ReferencesScoringNotTraining()
    {
        var references = typeof(Program).Assembly.GetReferencedAssemblies().Select(a => a.Name).ToList();

        Assert.That(references, Has.Member("DigitsML.Scoring").And.No.Member("DigitsML").And.No.Member("TorchSharp"));
    }
}
