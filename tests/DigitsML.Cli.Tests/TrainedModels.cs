// TrainedModels.cs — small models trained once per test run by the tool itself, shared by the CLI fixtures, and the
// folder they live in, removed when the CLI tests are done.
namespace DigitsML.Cli.Tests;

[SetUpFixture]
public sealed class TrainedModels
{
    private static readonly Lazy<TemporaryDirectory> folder = new(() => new TemporaryDirectory());

    // PyTorchExampleClassic, 1 epoch on 2,000 images: seconds to train, well above chance.
    private static readonly Lazy<string> classic = new(() => TrainTo("classic.zip",
        "--arch", "PyTorchExampleClassic", "--epochs", "1", "--train-count", "2000", "--batch-size", "64"));

    // SeedNet, 1 epoch on 2,000 other settings: a third member that disagrees with the other two now and then.
    private static readonly Lazy<string> seedNet = new(() => TrainTo("seednet.zip",
        "--arch", "SeedNet", "--epochs", "1", "--train-count", "2000", "--batch-size", "32", "--seed", "7"));

    // DigitNet, 1 epoch on 2,000 images with a validation split, the report and the JSON document.
    private static readonly Lazy<DigitsTool.Result> digitNet = new(() => Train("--arch", "DigitNet", "--epochs", "1",
        "--train-count", "2000", "--validation", "0.1", "--patience", "1", "--best-epoch", "--out", PathTo("digitnet.zip"),
        "--report", PathTo("digitnet.html"), "--json"));

    /// <summary>A temporary folder for the CLI tests' files.</summary>
    public static string Folder => folder.Value.Path;

    /// <summary>A model file written by `digits train` (PyTorchExampleClassic).</summary>
    public static string Classic => classic.Value;

    /// <summary>A model file written by `digits train` (SeedNet).</summary>
    public static string SeedNet => seedNet.Value;

    /// <summary>What `digits train --json --report ... --out digitnet.zip` printed.</summary>
    internal static DigitsTool.Result DigitNetTraining => digitNet.Value;

    /// <summary>The DigitNet model file (trained on first use).</summary>
    public static string DigitNet
    {
        get
        {
            _ = digitNet.Value;
            return PathTo("digitnet.zip");
        }
    }

    /// <summary>The HTML report written with the DigitNet model (trained on first use).</summary>
    public static string DigitNetReport
    {
        get
        {
            _ = digitNet.Value;
            return PathTo("digitnet.html");
        }
    }

    public static string PathTo(string name) => Path.Combine(Folder, name);

    [OneTimeTearDown]
    public void RemoveFolder()
    {
        if (folder.IsValueCreated)
            folder.Value.Dispose();
    }

    private static string TrainTo(string name, params string[] args)
    {
        string path = PathTo(name);
        Train([.. args, "--out", path]);
        return path;
    }

    private static DigitsTool.Result Train(params string[] args)
    {
        // The digitnet preset (the first default: no augmentation, no weight average), so 1 epoch on 2,000 images learns.
        var result = DigitsTool.Run(["train", "--preset", "digitnet", "--data", MnistFiles.Directory, .. args]);
        TestContext.Out.WriteLine(result.Output + result.Error);
        Assert.That(result.ExitCode, Is.Zero, result.Error);
        return result;
    }
}
