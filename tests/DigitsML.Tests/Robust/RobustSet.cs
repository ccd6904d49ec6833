// RobustSet.cs — runs bench/robust/make_robust.py and make_lowres.py (copied next to the tests) for the robustness tests
// and reads their files.
using System.Diagnostics;
using System.Security.Cryptography;

namespace DigitsML.Tests.Robust;

internal static class RobustSet
{
    /// <summary>Debian's Python with numpy and PIL (build/setup.sh --test installs them).</summary>
    public const string Python = "/usr/bin/python3";

    /// <summary>The generator, copied into the test output by the project file.</summary>
    public static string Script => Path.Combine(TestContext.CurrentContext.TestDirectory, "robust", "make_robust.py");

    /// <summary>The low-resolution set's generator, copied beside <see cref="Script"/>.</summary>
    public static string LowresScript => Path.Combine(TestContext.CurrentContext.TestDirectory, "robust", "make_lowres.py");

    /// <summary>What a finished run printed.</summary>
    public sealed record Run(int ExitCode, string Output, string Error)
    {
        public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
    }

    /// <summary>Runs the generator with <paramref name="arguments"/>, failing the test past two minutes.</summary>
    public static Run Make(params string[] arguments) => RunScript(Script, arguments);

    /// <summary>Runs the low-resolution set's generator with <paramref name="arguments"/>, failing the test past two minutes.</summary>
    public static Run MakeLowres(params string[] arguments) => RunScript(LowresScript, arguments);

    private static Run RunScript(string script, string[] arguments)
    {
        if (!File.Exists(Python))
            Assert.Fail($"{Python} is missing: run build/setup.sh --test (it installs Debian's python3-numpy and python3-pil).");
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        foreach (string a in arguments)
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{Path.GetFileName(script)} {string.Join(' ', arguments)} ran past two minutes");
        }
        return new Run(process.ExitCode, output.Result, error.Result);
    }

    /// <summary>The bytes of an IDX image file of unsigned bytes, header checked: (count, pixels of 28 × 28 each).</summary>
    /// <summary>Asserts that <paramref name="set"/>'s SHA256SUMS lists every other file of it with its hash, as
    /// sha256sum -c reads it.</summary>
    public static void AssertSumsListEveryFile(string set)
    {
        var listed = File.ReadAllLines(Path.Combine(set, "SHA256SUMS")).Select(l => l.Split("  ", 2)).ToDictionary(p => p[1], p => p[0]);
        var present = Directory.GetFiles(set, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(set, f)).Where(f => f != "SHA256SUMS");
        Assert.That(listed.Keys, Is.EquivalentTo(present));
        foreach (var (file, hash) in listed)
            Assert.That(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(set, file)))), Is.EqualTo(hash), file);
    }

    public static (int Count, byte[] Pixels) ReadImages(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        Assert.That(bytes.AsSpan(0, 4).ToArray(), Is.EqualTo(new byte[] { 0, 0, 8, 3 }), $"{path}: IDX magic of rank-3 bytes");
        int count = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4));
        Assert.That(bytes, Has.Length.EqualTo(16 + count * 784), $"{path}: header and body of {count} 28 × 28 images");
        return (count, bytes[16..]);
    }

    /// <summary>Centre of mass (column, row) of one 28 × 28 image.</summary>
    public static (double X, double Y) CentreOfMass(ReadOnlySpan<byte> image)
    {
        double mass = 0, x = 0, y = 0;
        for (int i = 0; i < 784; i++)
        {
            mass += image[i];
            x += image[i] * (i % 28);
            y += image[i] * (i / 28);
        }
        return (x / mass, y / mass);
    }

    /// <summary>The angle in degrees (-90, 90] of the principal axis of one image's ink and how elongated it is (ratio of
    /// the second moments along and across that axis).</summary>
    public static (double Angle, double Elongation) PrincipalAxis(ReadOnlySpan<byte> image)
    {
        var (cx, cy) = CentreOfMass(image);
        double mass = 0, xx = 0, yy = 0, xy = 0;
        for (int i = 0; i < 784; i++)
        {
            double dx = i % 28 - cx, dy = i / 28 - cy;
            mass += image[i];
            xx += image[i] * dx * dx;
            yy += image[i] * dy * dy;
            xy += image[i] * dx * dy;
        }
        xx /= mass;
        yy /= mass;
        xy /= mass;
        double half = Math.Sqrt((xx - yy) * (xx - yy) / 4 + xy * xy);
        double along = (xx + yy) / 2 + half, across = (xx + yy) / 2 - half;
        return (0.5 * Math.Atan2(2 * xy, xx - yy) * 180 / Math.PI, along / Math.Max(across, 1e-9));
    }

    /// <summary>The image moved by (dx, dy) whole pixels, black where nothing moves in.</summary>
    public static byte[] Moved(ReadOnlySpan<byte> image, int dx, int dy)
    {
        var moved = new byte[784];
        for (int r = 0; r < 28; r++)
            for (int c = 0; c < 28; c++)
            {
                int sr = r - dy, sc = c - dx;
                if (sr is >= 0 and < 28 && sc is >= 0 and < 28)
                    moved[r * 28 + c] = image[sr * 28 + sc];
            }
        return moved;
    }
}
