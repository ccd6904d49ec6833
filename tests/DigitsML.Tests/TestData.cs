// TestData.cs — where the tests find MNIST (fetched by build/setup.sh), as the engine's arrays, loaded once per run.
using DigitsML.Engine;

namespace DigitsML.Tests;

internal static class TestData
{
    /// <summary>The MNIST folder build/setup.sh fills (tests/Shared/MnistFiles.cs says where).</summary>
    public static string MnistDirectory => MnistFiles.Directory;

    public static string TrainImages => MnistFiles.TrainImages;
    public static string TrainLabels => MnistFiles.TrainLabels;
    public static string TestImages => MnistFiles.TestImages;
    public static string TestLabels => MnistFiles.TestLabels;

    private static readonly Lazy<DigitDataset> train = new(() => DigitDataset.LoadIdx(TrainImages, TrainLabels));
    private static readonly Lazy<DigitDataset> test = new(() => DigitDataset.LoadIdx(TestImages, TestLabels));

    /// <summary>The 60,000 training images, loaded once per test run.</summary>
    public static DigitDataset MnistTrain => train.Value;

    /// <summary>The 10,000 test images, loaded once per test run.</summary>
    public static DigitDataset MnistTest => test.Value;
}
