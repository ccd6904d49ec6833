// AssemblyDependencyTests.cs — the scoring assembly stays free of TorchSharp (half a gigabyte of libtorch) and of the training assembly.
using DigitsML.Data;

namespace DigitsML.Scoring.Tests;

[TestFixture]
public sealed class AssemblyDependencyTests
{
    private static readonly string[] References =
        typeof(IdxFileDataView).Assembly.GetReferencedAssemblies().Select(a => a.Name ?? "").ToArray();

    [Test]
    public void ScoringAssembly_References_NoTorchSharp()
        => Assert.That(References, Has.None.StartsWith("TorchSharp").IgnoreCase.And.None.StartsWith("libtorch").IgnoreCase);

    [Test]
    public void ScoringAssembly_References_NotTheTrainingAssembly()
        => Assert.That(References, Has.None.EqualTo("DigitsML"));

    [Test]
    public void ScoringAssembly_References_RealMLNet()
        => Assert.That(References, Does.Contain("Microsoft.ML.DataView"));
}
