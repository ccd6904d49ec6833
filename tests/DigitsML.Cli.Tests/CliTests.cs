// CliTests.cs — the `digits` tool end to end: train, evaluate, predict on IDX, one-line errors with exit codes, devices,
// and an interrupted run resumed from its checkpoint.
using System.Diagnostics;
using System.Globalization;

namespace DigitsML.Cli.Tests;

[TestFixture]
[NonParallelizable]
public sealed class CliTests
{
    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [Test]
    public void Evaluate_ModelTrainedByTheTool_PrintsMetricsAndConfusionTable()
    {
        var evaluated = DigitsTool.Run("evaluate", TrainedModels.Classic, "--data", MnistFiles.Directory);

        Assert.That(evaluated.ExitCode, Is.Zero, evaluated.Error);
        Assert.That(evaluated.Output, Does.Match(@"test accuracy \d+\.\d\d % of 10,000 images"));
        Assert.That(evaluated.Output, Does.Contain("PREDICTED ||"));
        Assert.That(evaluated.Output, Does.Contain("Precision ||"));
        Assert.That(evaluated.Error, Is.Empty);
        var spelledOld = DigitsTool.Run("evaluate", "--model", TrainedModels.Classic, "--data", MnistFiles.Directory);
        Assert.That(spelledOld.Output, Is.EqualTo(evaluated.Output), "--model MODEL, the first edition's spelling, does the same");
    }

    [TestCase(false, "digits: error: give the model file: digits evaluate MODEL.zip")]
    [TestCase(true, "digits: error: give the model once: as the first argument or with --model, not both")]
    public void Evaluate_ModelMissingOrGivenTwice_OneLineAndExit2(bool twice, string message)
    {
        string[] args = twice ? ["evaluate", TrainedModels.PathTo("a.zip"), "--model", TrainedModels.PathTo("b.zip")] : ["evaluate"];
        var result = DigitsTool.Run(args);

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(Lines(result.Error), Has.Length.EqualTo(1));
        Assert.That(result.Error, Does.StartWith(message));
    }

    [Test]
    public void Evaluate_Json_AccuracyIsMlNetsOnTheSameFile()
    {
        var evaluated = DigitsTool.Run("evaluate", "--model", TrainedModels.Classic, "--data", MnistFiles.Directory, "--json");

        Assert.That(evaluated.ExitCode, Is.Zero, evaluated.Error);
        using var json = System.Text.Json.JsonDocument.Parse(evaluated.Output);
        var ml = new MLContext();
        var model = ml.Model.Load(TrainedModels.Classic, out _);
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(ml.Data.LoadFromIdx(MnistFiles.TestImages, MnistFiles.TestLabels)));
        (model as IDisposable)?.Dispose();
        Assert.That(json.RootElement.GetProperty("metrics").GetProperty("microAccuracy").GetDouble(), Is.EqualTo(metrics.MicroAccuracy));
    }

    [Test]
    public void Predict_WithLabels_PrintsDigitProbabilityRunnerUpAndLabel()
    {
        var result = DigitsTool.Run("predict", TrainedModels.Classic, MnistFiles.TestImages, "--labels", MnistFiles.TestLabels, "--count", "3");

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        var rows = Lines(result.Output);
        Assert.That(rows, Has.Length.EqualTo(5), "header, three images, count right");
        Assert.That(rows[0], Does.Contain("runner-up"));
        // The first three MNIST test labels are 7, 2 and 1.
        Assert.That(rows[1..4].Select(r => r.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1]), Is.EqualTo(new[] { "7", "2", "1" }));
        Assert.That(rows[1], Does.StartWith($"{MnistFiles.TestImages}[0]"));
    }

    [Test]
    public void Predict_IdxWithoutLabels_PredictsWhatTheModelFilePredicts()
    {
        var result = DigitsTool.Run("predict", TrainedModels.Classic, MnistFiles.TestImages, "--count", "5", "--json");

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        using var json = System.Text.Json.JsonDocument.Parse(result.Output);
        var digits = json.RootElement.GetProperty("predictions").EnumerateArray().Select(p => p.GetProperty("digit").GetString()).ToList();
        var expected = ModelScores.Of(TrainedModels.Classic, 5).Predicted.Select(p => p.ToString(CultureInfo.InvariantCulture));
        Assert.That(digits, Is.EqualTo(expected));
        Assert.That(json.RootElement.GetProperty("labelled").GetInt32(), Is.Zero);
    }

    [Test]
    public void Evaluate_MissingModel_OneLineErrorAndExitCode1()
    {
        var result = DigitsTool.Run("evaluate", "--model", TrainedModels.PathTo("absent.zip"));

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(Lines(result.Error), Has.Length.EqualTo(1));
        Assert.That(result.Error, Does.StartWith("digits: error: file not found:").And.Contain("absent.zip"));
        Assert.That(result.Error, Does.Not.Contain("   at "));
    }

    [Test]
    public void Evaluate_NotAModelFile_NamesTheFileWithoutStackTrace()
    {
        string bad = TrainedModels.PathTo("bad.zip");
        File.WriteAllText(bad, "not a zip");

        var result = DigitsTool.Run("evaluate", "--model", bad, "--data", MnistFiles.Directory);

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(Lines(result.Error), Has.Length.EqualTo(1));
        Assert.That(result.Error, Does.StartWith($"digits: error: {bad}: not an ML.NET model zip"));
        Assert.That(result.Error, Does.Not.Contain("   at "));
    }

    [Test]
    public void Evaluate_NotAModelFileVerbose_PrintsStackTrace()
    {
        string bad = TrainedModels.PathTo("bad-verbose.zip");
        File.WriteAllText(bad, "not a zip");

        var result = DigitsTool.Run("evaluate", "--model", bad, "--verbose");

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Error, Does.Contain("   at "));
    }

    [Test]
    public void Train_UnknownArchitecture_ExitCode2ListingTheChoices()
    {
        var result = DigitsTool.Run("train", "--arch", "NoSuchNet", "--data", MnistFiles.Directory);

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(Lines(result.Error), Has.Length.EqualTo(1));
        Assert.That(result.Error, Does.Contain("NoSuchNet").And.Contain("SeedNet"));
    }

    [Test]
    public void Train_MissingData_OneLineNamingTheFile()
    {
        string empty = Directory.CreateDirectory(TrainedModels.PathTo("no-mnist")).FullName;

        var result = DigitsTool.Run("train", "--data", empty, "--epochs", "1");

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(Lines(result.Error), Is.EqualTo(new[]
        {
            $"digits: error: file not found: {Path.Combine(empty, "train-images-idx3-ubyte")}",
        }));
    }

    [Test]
    public void Train_CudaWithoutFallbackOnCpuOnlyLibtorch_FailsNamingTheGpu()
    {
        if (DigitsML.DigitsRuntime.CudaDeviceCount > 0)
            Assert.Ignore("A CUDA device is present, so the request would succeed.");

        var result = DigitsTool.Run("train", "--device", "cuda:0", "--data", MnistFiles.Directory, "--epochs", "1",
            "--train-count", "200", "--out", TrainedModels.PathTo("gpu.zip"));

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(Lines(result.Error), Has.Length.EqualTo(1));
        Assert.That(result.Error, Does.StartWith("digits: error: GPU 0 was requested"));
        Assert.That(File.Exists(TrainedModels.PathTo("gpu.zip")), Is.False);
    }

    [Test]
    public void Train_CudaWithFallback_ContinuesOnCpuAndSaysSo()
    {
        if (DigitsML.DigitsRuntime.CudaDeviceCount > 0)
            Assert.Ignore("A CUDA device is present, so no fall-back happens.");
        string output = TrainedModels.PathTo("fallback.zip");

        var result = DigitsTool.Run("train", "--device", "cuda:0", "--fallback-to-cpu", "--preset", "digitnet", "--data", MnistFiles.Directory,
            "--arch", "PyTorchExampleClassic", "--epochs", "1", "--train-count", "300", "--out", output);

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(Lines(result.Error), Has.Length.EqualTo(1));
        Assert.That(result.Error, Does.StartWith("digits: warning: GPU 0 was requested").And.Contain("continuing on the CPU"));
        Assert.That(result.Output, Does.Contain("trained on cpu"));
        Assert.That(File.Exists(output), Is.True);
    }

    [Test]
    public void Train_BadDevice_UsageErrorNamingTheFlag()
    {
        var result = DigitsTool.Run("train", "--device", "tpu", "--data", MnistFiles.Directory, "--epochs", "1", "--train-count", "100",
            "--out", TrainedModels.PathTo("never.zip"));

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(Lines(result.Error), Is.EqualTo(new[] { "digits: error: --device must be cpu, cuda or cuda:N; got 'tpu'" }));
    }

    [Test]
    [Category("Slow")]
    public void Train_InterruptedWithSigintThenResumed_KeepsCheckpointAndFinishes()
    {
        string checkpoint = TrainedModels.PathTo("run.ckpt"), output = TrainedModels.PathTo("resumed.zip");
        string[] train = ["train", "--preset", "digitnet", "--data", MnistFiles.Directory, "--epochs", "4",
            "--train-count", "4000", "--checkpoint", checkpoint, "--out", output];
        string dll = Path.Combine(AppContext.BaseDirectory, "digits.dll");
        // A test run started in the background by a non-interactive shell inherits SIGINT as ignored, and so would the
        // child; env --default-signal gives the child the default disposition, so .NET's Ctrl+C handling sees it.
        var start = new ProcessStartInfo("env") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "--default-signal=INT", "dotnet", dll })
            start.ArgumentList.Add(a);
        foreach (var a in train)
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        // Wait for the first finished epoch, then send Ctrl+C's signal; an epoch of 4,000 images takes seconds, so the
        // signal lands while the second one runs.
        string? line;
        while ((line = process.StandardOutput.ReadLine()) is not null && !line.StartsWith("epoch 1/", StringComparison.Ordinal)) { }
        Assert.That(line, Is.Not.Null, "training ended before its first epoch");
        using (var kill = Process.Start("kill", ["-INT", process.Id.ToString(CultureInfo.InvariantCulture)]))
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
