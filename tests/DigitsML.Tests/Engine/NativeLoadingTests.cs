// NativeLoadingTests.cs — TorchSharp's native library loads from this (fresh) build on this system, from the package's
// libtorch, without TorchSharp copying a second libtorch; and the ELF edit that makes it load on Debian 12 is exact.
using DigitsML.Build;
using DigitsML.Engine;
using TorchSharp;

namespace DigitsML.Tests.Engine;

[TestFixture]
public sealed class NativeLoadingTests
{
    private static string OutputFolder => Path.GetDirectoryName(typeof(torch).Assembly.Location)!;

    private static string OutputLibrary => Path.Combine(OutputFolder, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

    /// <summary>The package's own copy, in the NuGet cache, which the build must never change.</summary>
    private static string PackageLibrary
    {
        get
        {
            string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
                ? configured
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            return Path.Combine(packages, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        }
    }

    private static string? SystemLibstdcxx =>
        new[] { "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6" }
            .FirstOrDefault(File.Exists);

    [Test]
    public void Runtime_LoadsLibtorchFromThePackage_WithoutCopyingIt()
    {
        TestContext.Out.WriteLine($"libtorch {TorchRuntime.Version}, {TorchRuntime.Threads} threads, CUDA devices {TorchRuntime.CudaDeviceCount}");

        Assert.That(TorchRuntime.Version, Does.StartWith("2.10"));
        // TorchSharp's fall-back loader copies the whole libtorch into "cpu" (or "cuda-12.8") beside its assembly.
        Assert.That(Directory.GetDirectories(OutputFolder).Select(Path.GetFileName), Has.None.EqualTo("cpu").And.None.StartsWith("cuda"));
    }

    [Test]
    public void Build_RelaxesTheOutputCopyOnlyWhereTheSystemLibstdcxxLacksTheVersion()
    {
        string system = SystemLibstdcxx ?? "";
        if (!OperatingSystem.IsLinux() || system.Length == 0)
            Assert.Ignore("Linux with a libstdc++ in a standard place only.");
        Assume.That(File.Exists(OutputLibrary), Is.True, $"no {OutputLibrary}");
        bool systemHasIt = ElfVersionRequirement.Defines(system, ElfVersionRequirement.Version);
        var output = ElfVersionRequirement.MakeWeak(File.ReadAllBytes(OutputLibrary));

        TestContext.Out.WriteLine($"{system} defines {ElfVersionRequirement.Version}: {systemHasIt}; the output copy: {output}");
        Assert.That(output, Is.EqualTo(systemHasIt ? ElfVersionRequirement.Outcome.MadeWeak : ElfVersionRequirement.Outcome.AlreadyWeak));
    }

    [Test]
    public void Build_LeavesTheNuGetCacheCopyUnchanged()
    {
        Assume.That(File.Exists(PackageLibrary), Is.True, $"no {PackageLibrary}");

        Assert.That(ElfVersionRequirement.MakeWeak(File.ReadAllBytes(PackageLibrary)), Is.EqualTo(ElfVersionRequirement.Outcome.MadeWeak),
            "the package's own library already had the requirement relaxed: the build wrote through into the NuGet cache");
    }

    [Test]
    public void MakeWeak_ChangesOnlyTheOneFlag_AndIsIdempotent()
    {
        Assume.That(File.Exists(PackageLibrary), Is.True, $"no {PackageLibrary}");
        byte[] original = File.ReadAllBytes(PackageLibrary);
        byte[] relaxed = (byte[])original.Clone();

        Assert.That(ElfVersionRequirement.MakeWeak(relaxed), Is.EqualTo(ElfVersionRequirement.Outcome.MadeWeak));
        var changed = Enumerable.Range(0, original.Length).Where(i => original[i] != relaxed[i]).ToList();
        Assert.That(changed, Has.Count.EqualTo(1), "one byte: the low byte of vna_flags");
        Assert.That(relaxed[changed[0]] ^ original[changed[0]], Is.EqualTo(0x2), "VER_FLG_WEAK");
        Assert.That(ElfVersionRequirement.MakeWeak(relaxed), Is.EqualTo(ElfVersionRequirement.Outcome.AlreadyWeak));
    }

    [Test]
    public void MakeWeak_NotAnElfFile_ThrowsInvalidData()
    {
        Assert.Throws<InvalidDataException>(() => ElfVersionRequirement.MakeWeak(new byte[100]));
        Assert.Throws<InvalidDataException>(() => ElfVersionRequirement.MakeWeak([0x7f, (byte)'E', (byte)'L', (byte)'F']));
    }

    [Test]
    public void MakeWeak_LibraryThatNeverAskedForTheVersion_IsLeftAlone()
    {
        string system = SystemLibstdcxx ?? "";
        if (system.Length == 0)
            Assert.Ignore("no libstdc++ in a standard place");
        // libstdc++ defines versions but requires none of GLIBCXX's.
        Assert.That(ElfVersionRequirement.MakeWeak(File.ReadAllBytes(system)), Is.EqualTo(ElfVersionRequirement.Outcome.NotRequired));
    }
}
