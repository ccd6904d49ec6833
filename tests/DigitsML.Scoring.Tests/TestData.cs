// TestData.cs — where the scoring tests find MNIST (fetched by build/setup.sh); tests/Shared/TestFiles.cs makes their files.
using DigitsML.Data;
using DigitsML.Testing;

namespace DigitsML.Scoring.Tests;

internal static class TestData
{
    /// <summary>The MNIST folder build/setup.sh fills (tests/Shared/MnistFiles.cs says where).</summary>
    public static string MnistDirectory => MnistFiles.Directory;

    public static string TestImages => MnistFiles.TestImages;
    public static string TestLabels => MnistFiles.TestLabels;

    private static readonly Lazy<float[]> testPixels = new(() => [.. IdxFile.ReadImages(TestImages).Pixels.Select(b => b / 255f)]);

    /// <summary>The 10,000 test images' pixels in [0, 1], one 784-value image after another, read once per run.</summary>
    public static float[] MnistTestPixels => testPixels.Value;
}
