// EngineFixtures.cs — small seeded networks, data and comparisons shared by the engine tests.
using DigitsML.Engine;
using DigitsML.IO;
using DigitsML.Networks;

namespace DigitsML.Tests.Engine;

internal static class EngineFixtures
{
    /// <summary>Where the csproj copies tests/DigitsML.Tests/golden (written by tests/golden/make_golden.py).</summary>
    public static string GoldenPath(string fileName)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "golden", fileName);
        if (!File.Exists(path))
            Assert.Fail($"{path} is missing: run /usr/bin/python3 tests/golden/make_golden.py and rebuild.");
        return path;
    }

    /// <summary>A safetensors golden file by tensor name.</summary>
    public static IReadOnlyDictionary<string, NamedTensor> LoadGolden(string fileName)
    {
        string path = GoldenPath(fileName);
        return Safetensors.Read(File.ReadAllBytes(path), path).ToDictionary(t => t.Name);
    }

    /// <summary>A dropout-free network with BatchNorm on (1, 8, 8) inputs; make_golden.py's TrainNet.</summary>
    public static NetworkDefinition TrainNet { get; } = new("TrainNet",
    [
        new Normalize(0.5, 0.5),
        new Conv2d(4, 3, Bias: false), // (1, 8, 8) -> (4, 6, 6); BatchNorm makes a bias pointless
        new BatchNorm2d(),
        new ReLU(),
        new MaxPool2d(2),       // -> (4, 3, 3)
        new Flatten(),          // -> (36)
        new Linear(10),
    ], TensorShape.Image(1, 8, 8));

    /// <summary><paramref name="count"/> examples of <paramref name="shape"/> with pixels in [0, 1) and labels
    /// 0..classes−1, all from <paramref name="seed"/>.</summary>
    public static DigitDataset RandomDataset(int count, TensorShape shape, int seed, int classes = 10)
    {
        var random = new Random(seed);
        var pixels = new float[count * shape.Elements];
        for (int i = 0; i < pixels.Length; i++)
            pixels[i] = random.NextSingle();
        var labels = new int[count];
        for (int i = 0; i < count; i++)
            labels[i] = random.Next(classes);
        return new DigitDataset(pixels, labels, shape);
    }

    /// <summary>Fails with the worst element when <paramref name="actual"/> and <paramref name="expected"/> differ
    /// by more than <paramref name="tolerance"/> anywhere.</summary>
    public static void AssertClose(ReadOnlySpan<float> actual, ReadOnlySpan<float> expected, double tolerance, string what)
    {
        Assert.That(actual.Length, Is.EqualTo(expected.Length), $"{what}: length");
        int worst = -1;
        double worstDiff = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            double diff = Math.Abs((double)actual[i] - expected[i]);
            if (double.IsNaN(diff) || diff > worstDiff)
            {
                worst = i;
                worstDiff = double.IsNaN(diff) ? double.PositiveInfinity : diff;
            }
        }
        TestContext.Out.WriteLine($"{what}: largest difference {worstDiff:G3} (tolerance {tolerance:G3})");
        Assert.That(worstDiff, Is.LessThanOrEqualTo(tolerance),
            worst < 0 ? what : $"{what}: element {worst} is {actual[worst]}, PyTorch gives {expected[worst]}");
    }

    /// <summary>Two states hold the same names, shapes and bit-identical values.</summary>
    public static bool StatesEqual(IReadOnlyList<NamedTensor> a, IReadOnlyList<NamedTensor> b) =>
        a.Count == b.Count && a.Zip(b).All(p =>
            p.First.Name == p.Second.Name && p.First.Shape.SequenceEqual(p.Second.Shape) &&
            p.First.Data.AsSpan().SequenceEqual(p.Second.Data));

    /// <summary>Records every report synchronously on the training thread (unlike Progress&lt;T&gt;, which posts).</summary>
    public sealed class RecordingProgress(Action<EpochProgress>? onReport = null) : IProgress<EpochProgress>
    {
        public List<EpochProgress> Reports { get; } = [];

        public void Report(EpochProgress value)
        {
            Reports.Add(value);
            onReport?.Invoke(value);
        }
    }
}
