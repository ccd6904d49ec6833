// PackageTests.Pretrained.cs — the models shipped inside DigitsML.Scoring, from the packed package: its size (issue 23:
// at most 10 MB), and a fresh app that references that package alone (Consumers/Pretrained), restored outside the
// repository, recognising PNGs of MNIST test digits and reading a photo of a number with no training, no model file and
// no libtorch.
using System.Text.Json;
using DigitsML.Data;
using DigitsML.Testing;
using SkiaSharp;

namespace DigitsML.Packaging.Tests;

public sealed partial class PackageTests
{
    private const long MaxScoringPackageBytes = 10_000_000;
    private const int DigitImages = 5;
    private static readonly int[] NumberDigits = [0, 1, 2, 3, 4, 5];  // MNIST test digits 7, 2, 1, 0, 4, 1

    [Test]
    public void Pack_ScoringPackage_WithTheShippedModelsAtMost10MB()
    {
        var file = new FileInfo(Path.Combine(packages.Path, $"DigitsML.Scoring.{version}.nupkg"));
        long shipped = PretrainedModels.Manifest.Models.Sum(m => m.Bytes);
        TestContext.Progress.WriteLine($"DigitsML.Scoring.nupkg: {file.Length:N0} bytes, the shipped models {shipped:N0} of them");

        Assert.That(file.Length, Is.LessThanOrEqualTo(MaxScoringPackageBytes));
        Assert.That(file.Length, Is.GreaterThan(shipped), "the models are inside the package (embedded in the assembly)");
    }

    [Test]
    [Category("Slow")]
    public void PretrainedConsumer_ScoringPackageAlone_RecognisesDigitPngsAndReadsANumberPhoto()
    {
        using var app = new TemporaryDirectory();
        using var cache = new TemporaryDirectory();
        foreach (var file in new[] { "Pretrained.csproj", "Program.cs" })
            File.Copy(Path.Combine(Build.RepoRoot, "tests", "DigitsML.Packaging.Tests", "Consumers", "Pretrained", file), Path.Combine(app.Path, file));
        File.WriteAllText(Path.Combine(app.Path, "nuget.config"),
            $"""<configuration><packageSources><add key="DigitsML packages" value="{packages.Path}" /></packageSources></configuration>""");
        var (count, _, _, pixels) = IdxFile.ReadImages(MnistFiles.TestImages);
        byte[] labels = IdxFile.ReadLabels(MnistFiles.TestLabels);
        Assert.That(count, Is.GreaterThan(NumberDigits.Max()));
        var arguments = new List<string>();
        for (int i = 0; i < DigitImages; i++)
        {
            string png = Path.Combine(app.Path, $"digit-{i}.png");
            File.WriteAllBytes(png, Encode(28, 28, [.. pixels.AsSpan(i * 784, 784)], SKEncodedImageFormat.Png));
            arguments.AddRange(["digit", png]);
        }
        string photo = Path.Combine(app.Path, "number.jpg");
        File.WriteAllBytes(photo, NumberPhoto(pixels, NumberDigits));
        arguments.AddRange(["number", photo]);

        // An empty NuGet packages folder with the usual one as a fallback, as samples/Packaged is restored here: the
        // DigitsML.Scoring package is extracted from this test's .nupkg, everything else comes from the fallback.
        var global = Build.DotNet(["nuget", "locals", "global-packages", "--list"], app.Path, PackTimeout);
        string fallback = global.Output.Trim().Replace("global-packages: ", "", StringComparison.Ordinal);
        var environment = new Dictionary<string, string> { ["NUGET_PACKAGES"] = cache.Path };
        string[] properties = [$"-p:DigitsMLPackageVersion={version}"];
        var restore = Build.DotNet(["restore", "-nologo", "-nodeReuse:false", .. properties, $"-p:RestoreAdditionalProjectFallbackFolders={fallback}"],
            app.Path, PackTimeout, environment);
        Assert.That(restore.ExitCode, Is.Zero, restore.ToString());
        var build = Build.DotNet(["build", "-c", "Release", "--no-restore", "-nologo", "-nodeReuse:false", .. properties], app.Path, PackTimeout, environment);
        Assert.That(build.ExitCode, Is.Zero, build.ToString());
        string output = Path.Combine(app.Path, "bin", "Release", "net10.0");
        var run = Build.DotNet([Path.Combine(output, "Pretrained.dll"), .. arguments], app.Path, SampleTimeout);
        TestContext.Progress.WriteLine($"Consumers/Pretrained from the DigitsML.Scoring package: restore {restore.Elapsed.TotalSeconds:F0} s, " +
                                       $"build {build.Elapsed.TotalSeconds:F0} s, run {run.Elapsed.TotalSeconds:F0} s\n{run.Output}");

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        var lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        for (int i = 0; i < DigitImages; i++)
            Assert.That(lines, Has.Some.StartsWith($"digit digit-{i}.png {labels[i]} "), $"MNIST test digit {i}, a {labels[i]}\n{run}");
        string number = string.Concat(NumberDigits.Select(i => labels[i].ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.That(lines, Does.Contain($"number number.jpg {number}"), run.ToString());

        // The scoring package alone: no TorchSharp, no libtorch, no training assembly, and no model file beside the app.
        var files = Directory.GetFiles(output, "*", SearchOption.AllDirectories).Select(Path.GetFileName).ToList();
        Assert.That(files, Has.None.Contains("torch").IgnoreCase, "TorchSharp.dll, libLibTorchSharp.so, libtorch*.so");
        Assert.That(files, Does.Contain("DigitsML.Scoring.dll").And.Contain("libonnxruntime.so").And.None.EqualTo("DigitsML.dll"));
        // (ONNX Runtime's package brings an onnxruntime.xcframework.zip of its own.)
        string[] shippedFiles = [.. PretrainedModels.Manifest.Models.Select(m => m.File), "manifest.json"];
        Assert.That(files.Intersect(shippedFiles), Is.Empty, "the models come from the assembly");
        Assert.That(files, Has.None.EndsWith(".onnx"));
        using var deps = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "Pretrained.deps.json")));
        var libraries = deps.RootElement.GetProperty("libraries").EnumerateObject().Select(p => p.Name).ToList();
        Assert.That(libraries, Does.Contain($"DigitsML.Scoring/{version}"));
        Assert.That(libraries.Select(l => l.Split('/')[0]), Has.None.StartsWith("TorchSharp").IgnoreCase
            .And.None.StartsWith("libtorch").IgnoreCase.And.None.EqualTo("DigitsML"));
        Assert.That(Directory.GetDirectories(cache.Path).Select(Path.GetFileName), Is.EquivalentTo(new[] { "digitsml.scoring" }));
    }

    /// <summary>MNIST test digits <paramref name="digits"/> cropped to their ink, doubled, 12 pixels apart on a common
    /// baseline, dark on paper whose light falls to 80 % at the right, as a JPEG: a photo of a number written on paper,
    /// made as the scoring tests' NumberImages makes its numbers.</summary>
    private static byte[] NumberPhoto(byte[] mnist, int[] digits)
    {
        const int Scale = 2, Gap = 12, Margin = 20;
        var crops = digits.Select(d => DigitCrops.Crop(mnist.Skip(d * 784).Take(784).Select(v => v / 255f).ToArray(), Scale)).ToList();
        int tallest = crops.Max(c => c.H);
        int width = crops.Sum(c => c.W) + Gap * (crops.Count - 1) + 2 * Margin, height = tallest + 2 * Margin;
        var ink = new float[width * height];
        int left = Margin;
        foreach (var (inkOf, w, h) in crops)
        {
            int top = Margin + tallest - h;
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                    ink[(top + y) * width + left + x] = inkOf[y * w + x];
            left += w + Gap;
        }
        var grey = new byte[width * height];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                float a = ink[y * width + x], light = 1 - 0.2f * x / (width - 1f);
                grey[y * width + x] = (byte)Math.Round(Math.Clamp((0.95f * (1 - a) + 0.08f * a) * light, 0, 1) * 255);
            }
        return Encode(width, height, grey, SKEncodedImageFormat.Jpeg);
    }


    /// <summary>8-bit grey pixels, row by row, encoded as <paramref name="format"/> (quality 90).</summary>
    private static byte[] Encode(int width, int height, byte[] grey, SKEncodedImageFormat format)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque));
        System.Runtime.InteropServices.Marshal.Copy(grey, 0, bitmap.GetPixels(), grey.Length);
        using var data = bitmap.Encode(format, 90);
        return data.ToArray();
    }
}
