// TestData.cs — where the scoring tests find MNIST (fetched by build/setup.sh); tests/Shared/TestFiles.cs makes their files.
using DigitsML.Testing;

namespace DigitsML.Scoring.Tests;

internal static class TestData
{
    /// <summary>The MNIST folder build/setup.sh fills (tests/Shared/MnistFiles.cs says where).</summary>
    public static string MnistDirectory => MnistFiles.Directory;

    public static string TestImages => MnistFiles.TestImages;
    public static string TestLabels => MnistFiles.TestLabels;
}
