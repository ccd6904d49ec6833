// MnistFiles.cs — where the test projects find MNIST (fetched and checked by build/setup.sh); compiled into each of them.
namespace DigitsML.Testing;

internal static class MnistFiles
{
    /// <summary>The MNIST folder build/setup.sh fills: $DIGITSML_CACHE/mnist, default ~/.cache/digitsml/mnist. Fails the
    /// test with what to run when the files are not there.</summary>
    public static string Directory
    {
        get
        {
            string cache = Environment.GetEnvironmentVariable("DIGITSML_CACHE") is { Length: > 0 } c
                ? c
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "digitsml");
            string dir = Path.Combine(cache, "mnist");
            if (!File.Exists(Path.Combine(dir, "train-images-idx3-ubyte")) || !File.Exists(Path.Combine(dir, "t10k-images-idx3-ubyte")))
                Assert.Fail($"MNIST is not in {dir}: run build/setup.sh first.");
            return dir;
        }
    }

    public static string TrainImages => Path.Combine(Directory, "train-images-idx3-ubyte");
    public static string TrainLabels => Path.Combine(Directory, "train-labels-idx1-ubyte");
    public static string TestImages => Path.Combine(Directory, "t10k-images-idx3-ubyte");
    public static string TestLabels => Path.Combine(Directory, "t10k-labels-idx1-ubyte");
}
