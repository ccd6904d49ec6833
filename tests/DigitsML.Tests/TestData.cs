// TestData.cs — where the tests find MNIST (fetched by build/setup.sh) and small seeded fixtures.
using DigitsML.Engine;

namespace DigitsML.Tests;

internal static class TestData
{
    /// <summary>The MNIST folder build/setup.sh fills: $DIGITSML_CACHE/mnist, default ~/.cache/digitsml/mnist.</summary>
    public static string MnistDirectory
    {
        get
        {
            string cache = Environment.GetEnvironmentVariable("DIGITSML_CACHE") is { Length: > 0 } c
                ? c
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "digitsml");
            string dir = Path.Combine(cache, "mnist");
            if (!File.Exists(Path.Combine(dir, "train-images-idx3-ubyte")))
                Assert.Fail($"MNIST is not in {dir}: run build/setup.sh first.");
            return dir;
        }
    }

    public static string TrainImages => Path.Combine(MnistDirectory, "train-images-idx3-ubyte");
    public static string TrainLabels => Path.Combine(MnistDirectory, "train-labels-idx1-ubyte");
    public static string TestImages => Path.Combine(MnistDirectory, "t10k-images-idx3-ubyte");
    public static string TestLabels => Path.Combine(MnistDirectory, "t10k-labels-idx1-ubyte");

    private static readonly Lazy<DigitDataset> train = new(() => DigitDataset.LoadIdx(TrainImages, TrainLabels));
    private static readonly Lazy<DigitDataset> test = new(() => DigitDataset.LoadIdx(TestImages, TestLabels));

    /// <summary>The 60,000 training images, loaded once per test run.</summary>
    public static DigitDataset MnistTrain => train.Value;

    /// <summary>The 10,000 test images, loaded once per test run.</summary>
    public static DigitDataset MnistTest => test.Value;

    /// <summary>A temporary folder removed when the returned object is disposed.</summary>
    public static TemporaryDirectory CreateTemporaryDirectory() => new();

    public sealed class TemporaryDirectory : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("digitsml-test-").FullName;

        public void Dispose()
        {
            try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
        }
    }
}
