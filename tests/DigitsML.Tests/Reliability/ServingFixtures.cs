// ServingFixtures.cs — a seeded SeedNet model, MNIST inputs and a resident-memory probe for the serving and leak tests.
using DigitsML.Data;
using DigitsML.Engine;
using DigitsML.Trainers;

namespace DigitsML.Tests.Reliability;

/// <summary>A model's Score, the only output a bare CnnTransformer's caller needs here.</summary>
public sealed class ScoreRow
{
    public float[] Score = [];
}

/// <summary>DigitInput's columns without the label (a label is not read when predicting).</summary>
public sealed class ImageRow
{
    [VectorType(1, 28, 28)]
    public float[] Features = [];
}

internal static class ServingFixtures
{
    /// <summary>SeedNet with its seeded initial weights as a transformer (untrained: its scores still differ per image).</summary>
    public static CnnTransformer SeedNetModel(ulong seed = 1) =>
        new(Network.Create(CnnArchitectures.SeedNet, seed: seed), "Features", "Label", null, []);

    /// <summary>The first <paramref name="count"/> MNIST test images.</summary>
    public static ImageRow[] Images(int count)
    {
        var data = TestData.MnistTest;
        return [.. Enumerable.Range(0, count).Select(i => new ImageRow { Features = data.Pixels.AsSpan(i * 784, 784).ToArray() })];
    }

    /// <summary>Resident memory from /proc/self/status (VmRSS), in bytes, after a full garbage collection.</summary>
    public static long ResidentBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        string line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }
}
