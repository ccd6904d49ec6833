// CliTests.cs — the `digits` tool end to end: train, evaluate, predict on IDX, and one-line errors with exit codes.
namespace DigitsML.Tests.Cli;

[TestFixture]
[NonParallelizable]
public sealed class CliTests
{
    private string folder = "";
    private string model = "";

    [OneTimeSetUp]
    public void UseSharedModel()
    {
        folder = TrainedModels.Folder;
        model = TrainedModels.Classic;
    }

    [Test]
    public void Evaluate_ModelTrainedByTheTool_PrintsMetricsAndConfusionTable()
    {
        Assert.That(File.Exists(model), Is.True);
        var evaluated = DigitsTool.Run("evaluate", "--model", model, "--data", TestData.MnistDirectory);

        Assert.That(evaluated.ExitCode, Is.Zero, evaluated.Error);
        Assert.That(evaluated.Output, Does.Contain("test accuracy"));
        Assert.That(evaluated.Output, Does.Contain("PREDICTED ||"));
        Assert.That(evaluated.Output, Does.Contain("Precision ||"));
    }

    [Test]
    public void Predict_WithLabels_PrintsDigitProbabilityRunnerUpAndLabel()
    {
        var result = DigitsTool.Run("predict", model, TestData.TestImages, "--labels", TestData.TestLabels, "--count", "3");

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        var rows = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(rows, Has.Length.EqualTo(5), "header, three images, count right");
        Assert.That(rows[0], Does.Contain("runner-up"));
        // The first three MNIST test labels are 7, 2 and 1.
        Assert.That(rows[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1], Is.EqualTo("7"));
        Assert.That(rows[3].Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1], Is.EqualTo("1"));
    }

    [Test]
    public void Evaluate_MissingModel_OneLineErrorAndExitCode1()
    {
        var result = DigitsTool.Run("evaluate", "--model", Path.Combine(folder, "absent.zip"));

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Error.Trim().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(result.Error, Does.StartWith("digits: error:").And.Contain("absent.zip"));
        Assert.That(result.Error, Does.Not.Contain("   at "));
    }

    [Test]
    public void Evaluate_NotAModelFile_NamesTheFileWithoutStackTrace()
    {
        string bad = Path.Combine(folder, "bad.zip");
        File.WriteAllText(bad, "not a zip");

        var result = DigitsTool.Run("evaluate", "--model", bad);

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Error, Does.Contain("bad.zip").And.Contain("not a zip"));
        Assert.That(result.Error, Does.Not.Contain("   at "));
    }

    [Test]
    public void Evaluate_NotAModelFileVerbose_PrintsStackTrace()
    {
        string bad = Path.Combine(folder, "bad-verbose.zip");
        File.WriteAllText(bad, "not a zip");

        var result = DigitsTool.Run("evaluate", "--model", bad, "--verbose");

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Error, Does.Contain("   at "));
    }

    [Test]
    public void Train_UnknownArchitecture_ExitCode2ListingTheChoices()
    {
        var result = DigitsTool.Run("train", "--arch", "NoSuchNet", "--data", TestData.MnistDirectory);

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.Contain("NoSuchNet").And.Contain("SeedNet"));
    }

    [Test]
    public void Train_CudaWithoutFallbackOnCpuOnlyLibtorch_FailsNamingTheGpu()
    {
        if (DigitsML.Engine.TorchRuntime.CudaDeviceCount > 0)
            Assert.Ignore("A CUDA device is present, so the request would succeed.");

        var result = DigitsTool.Run("train", "--device", "cuda:0", "--data", TestData.MnistDirectory, "--epochs", "1",
            "--train-count", "200", "--out", Path.Combine(folder, "gpu.zip"));

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Error, Does.Contain("GPU 0"));
    }

    [Test]
    public void Train_CudaWithFallback_ContinuesOnCpuAndSaysSo()
    {
        if (DigitsML.Engine.TorchRuntime.CudaDeviceCount > 0)
            Assert.Ignore("A CUDA device is present, so no fall-back happens.");
        string output = Path.Combine(folder, "fallback.zip");

        var result = DigitsTool.Run("train", "--device", "cuda:0", "--fallback-to-cpu", "--data", TestData.MnistDirectory,
            "--arch", "PyTorchExampleClassic", "--epochs", "1", "--train-count", "300", "--out", output);

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(result.Error, Does.Contain("CPU"));
        Assert.That(result.Output, Does.Contain("trained on cpu"));
        Assert.That(File.Exists(output), Is.True);
    }

    [Test]
    [Category("Slow")]
    public void Train_InterruptedWithSigintThenResumed_KeepsCheckpointAndFinishes()
    {
        string checkpoint = Path.Combine(folder, "run.ckpt"), output = Path.Combine(folder, "resumed.zip");
        string[] train = ["train", "--data", TestData.MnistDirectory, "--arch", "DigitNet", "--epochs", "4",
            "--train-count", "4000", "--checkpoint", checkpoint, "--out", output];
        string dll = Path.Combine(AppContext.BaseDirectory, "digits.dll");
        // A test run started in the background by a non-interactive shell inherits SIGINT as ignored, and so would the
        // child; env --default-signal gives the child the default disposition, so .NET's Ctrl+C handling sees it.
        var start = new System.Diagnostics.ProcessStartInfo("env") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "--default-signal=INT", "dotnet", dll })
            start.ArgumentList.Add(a);
        foreach (var a in train)
            start.ArgumentList.Add(a);
        using var process = System.Diagnostics.Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        // Wait for the first finished epoch, then send Ctrl+C's signal; an epoch of 4,000 images takes seconds, so the
        // signal lands while the second one runs.
        string? line;
        while ((line = process.StandardOutput.ReadLine()) is not null && !line.StartsWith("epoch 1/", StringComparison.Ordinal)) { }
        Assert.That(line, Is.Not.Null, "training ended before its first epoch");
        using (var kill = System.Diagnostics.Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            kill.WaitForExit();
        process.StandardOutput.ReadToEndAsync();
        Assert.That(process.WaitForExit(TimeSpan.FromMinutes(2)), Is.True, "digits did not stop after SIGINT");

        Assert.That(process.ExitCode, Is.EqualTo(130), error.Result);
        Assert.That(File.Exists(checkpoint), Is.True, "the checkpoint of the finished epochs is kept");
        Assert.That(File.Exists(output), Is.False, "no model is saved from an interrupted run");

        var resumed = DigitsTool.Run([.. train, "--resume"]);
        Assert.That(resumed.ExitCode, Is.Zero, resumed.Error);
        Assert.That(File.Exists(output), Is.True);
    }
}
