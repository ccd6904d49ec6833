// AssemblyDependencyTests.cs — the scoring assembly stays free of TorchSharp (half a gigabyte of libtorch) and of the training
// assembly: not in what it references, directly or through any package, and not in the output folder of an app that
// references it alone (this test project is such an app).
using System.Reflection;
using DigitsML.Data;

namespace DigitsML.Scoring.Tests;

[TestFixture]
public sealed class AssemblyDependencyTests
{
    private static readonly Assembly Scoring = typeof(IdxFileDataView).Assembly;

    private static string OutputFolder => Path.GetDirectoryName(Scoring.Location)!;

    /// <summary>Whether an assembly or file name is TorchSharp's, libtorch's, or the training assembly's.</summary>
    private static bool IsTraining(string name) =>
        name.Contains("torch", StringComparison.OrdinalIgnoreCase) || name.Equals("DigitsML", StringComparison.Ordinal)
        || name.Equals("DigitsML.dll", StringComparison.Ordinal);

    /// <summary>The names of every assembly the scoring assembly needs, following references from assembly to assembly as
    /// far as the output folder holds them (the runtime's own assemblies are not there and end the walk).</summary>
    private static List<string> ReferenceClosure()
    {
        var seen = new SortedSet<string>(StringComparer.Ordinal);
        var pending = new Stack<AssemblyName>(Scoring.GetReferencedAssemblies());
        while (pending.TryPop(out var reference))
        {
            if (!seen.Add(reference.Name!))
                continue;
            string file = Path.Combine(OutputFolder, reference.Name + ".dll");
            if (!File.Exists(file))
                continue;
            foreach (var next in LoadReferences(file))
                pending.Push(next);
        }
        return [.. seen];
    }

    /// <summary>The references of the assembly in <paramref name="file"/>, read from its metadata without running it.</summary>
    private static AssemblyName[] LoadReferences(string file)
    {
        using var stream = File.OpenRead(file);
        using var reader = new System.Reflection.PortableExecutable.PEReader(stream);
        var metadata = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(reader);
        return [.. metadata.AssemblyReferences.Select(handle => metadata.GetAssemblyReference(handle).GetAssemblyName())];
    }

    [Test]
    public void ScoringAssembly_ReferenceClosure_NoTorchSharpNorTrainingAssembly()
    {
        var closure = ReferenceClosure();

        Assert.That(closure, Does.Contain("Microsoft.ML.OnnxTransformer").And.Contain("Google.Protobuf").And.Contain("Microsoft.ML.Core"),
            "the walk reached the packages' own references");
        Assert.That(closure.Where(IsTraining), Is.Empty);
    }

    [Test]
    public void ScoringOnlyOutputFolder_Files_NoTorchSharpLibtorchNorTrainingAssembly()
    {
        var files = Directory.GetFiles(OutputFolder, "*", SearchOption.AllDirectories).Select(Path.GetFileName).OfType<string>().ToList();

        Assert.That(files, Does.Contain("DigitsML.Scoring.dll").And.Contain("Google.Protobuf.dll").And.Some.StartsWith("libonnxruntime"),
            "the folder of an app that scores");
        Assert.That(files.Where(IsTraining), Is.Empty, "TorchSharp.dll, libLibTorchSharp.so, libtorch*.so, DigitsML.dll");
    }

    [Test]
    public void ScoringAssembly_References_RealMLNet()
        => Assert.That(Scoring.GetReferencedAssemblies().Select(a => a.Name), Does.Contain("Microsoft.ML.DataView"));
}
