// TrainCliTests.cs — `digits train`: --json with the recipe, epoch history and validation figures, the saved ML.NET model zip,
// --report, the An et al. preset with overrides in the header, and recipe mistakes refused on one line.
using System.Text.Json;

namespace DigitsML.Cli.Tests;

[TestFixture]
[NonParallelizable]
public sealed class TrainCliTests
{
    [Test]
    public void Train_Json_OneDocumentWithRecipeHistoryAndMetrics()
    {
        var result = TrainedModels.DigitNetTraining;

        using var json = JsonDocument.Parse(result.Output);
        var root = json.RootElement;
        Assert.That(root.GetProperty("model").GetString(), Is.EqualTo(TrainedModels.DigitNet));
        Assert.That(root.GetProperty("trainImages").GetInt64(), Is.EqualTo(2000));
        var recipe = root.GetProperty("recipe");
        Assert.That(root.GetProperty("preset").GetString(), Is.EqualTo("digitnet"));
        Assert.That(root.GetProperty("members").GetInt32(), Is.EqualTo(1));
        Assert.That(recipe.GetProperty("architecture").GetProperty("name").GetString(), Is.EqualTo("DigitNet"));
        Assert.That(recipe.TryGetProperty("checkpointPath", out _), Is.False, "the recipe's JSON form: no paths, callbacks or device");
        Assert.That(recipe.GetProperty("validationFraction").GetDouble(), Is.EqualTo(0.1));
        Assert.That(recipe.GetProperty("earlyStoppingPatience").GetInt32(), Is.EqualTo(1));
        Assert.That(recipe.GetProperty("selectBestEpoch").GetBoolean(), Is.True);
        Assert.That(recipe.GetProperty("optimizer").GetProperty("kind").GetString(), Is.EqualTo("Adam"));
        var epoch = root.GetProperty("epochs").EnumerateArray().Single();
        Assert.That(epoch.GetProperty("epoch").GetInt32(), Is.EqualTo(1));
        Assert.That(epoch.GetProperty("validationAccuracy").GetDouble(), Is.InRange(0.0, 1.0));
        var metrics = root.GetProperty("metrics");
        Assert.That(metrics.GetProperty("images").GetInt64(), Is.EqualTo(10_000));
        Assert.That(metrics.GetProperty("perClass").GetArrayLength(), Is.EqualTo(10));
        var counts = metrics.GetProperty("confusionMatrix").GetProperty("counts").EnumerateArray()
            .Select(row => row.EnumerateArray().Sum(c => c.GetInt64())).ToList();
        Assert.That(counts.Sum(), Is.EqualTo(10_000));
    }

    [Test]
    public void Train_SavedModel_LoadsInAFreshContextWithTheMetricsTrainingPrinted()
    {
        using var json = JsonDocument.Parse(TrainedModels.DigitNetTraining.Output);
        double printed = json.RootElement.GetProperty("metrics").GetProperty("microAccuracy").GetDouble();

        var ml = new MLContext();
        var model = ml.Model.Load(TrainedModels.DigitNet, out var inputSchema);
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(ml.Data.LoadFromIdx(MnistFiles.TestImages, MnistFiles.TestLabels)));
        (model as IDisposable)?.Dispose();

        Assert.That(metrics.MicroAccuracy, Is.EqualTo(printed));
        Assert.That(inputSchema.Select(c => c.Name), Is.EqualTo(new[] { "Label", "Features" }), "saved with the training data's schema");
    }

    [Test]
    public void Train_Json_PrintsNothingElse()
    {
        var result = TrainedModels.DigitNetTraining;

        Assert.That(result.Output.TrimStart(), Does.StartWith("{"));
        Assert.That(result.Output.TrimEnd(), Does.EndWith("}"));
        Assert.That(result.Output.IndexOf('\u001b'), Is.EqualTo(-1), "no ANSI escapes");
        Assert.That(result.Error, Is.Empty);
    }

    [Test]
    public void Train_Report_WritesTheHtmlReport()
    {
        using var json = JsonDocument.Parse(TrainedModels.DigitNetTraining.Output);

        Assert.That(json.RootElement.GetProperty("report").GetString(), Is.EqualTo(TrainedModels.DigitNetReport));
        string html = File.ReadAllText(TrainedModels.DigitNetReport);
        Assert.That(html, Does.StartWith("<!DOCTYPE html>").And.Contain("id=\"confusion\"").And.Contain("id=\"curves\"").And.Contain("DigitNet"));
    }

    [Test]
    public void Train_AnEtAlPresetWithOverrides_HeaderStatesTheWholeRecipe()
    {
        var result = DigitsTool.Run("train", "--data", MnistFiles.Directory, "--preset", "an-et-al", "--arch", "PyTorchExampleClassic",
            "--epochs", "1", "--train-count", "240", "--ema-decay", "0.99", "--out", TrainedModels.PathTo("an-et-al.zip"));

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(result.Output, Does.Contain("recipe (an-et-al preset): PyTorchExampleClassic, 1 epoch, batch 120, adam lr 0.001, " +
                                                "exponential schedule ×0.98 per epoch, label smoothing 0, seed 1"));
        Assert.That(result.Output, Does.Contain("augmentation rotate ±20°, shift ±20 %; weight average on, decay 0.99; validation none"));
        Assert.That(result.Output, Does.Contain("epoch 1/1"));
        Assert.That(result.Output.IndexOf('\u001b'), Is.EqualTo(-1), "no ANSI escapes when stdout is redirected");
    }

    [Test]
    public void Train_NoPreset_TrainsTheRobustModelAndStatesTheWholeAugmentation()
    {
        var result = DigitsTool.Run("train", "--data", MnistFiles.Directory, "--epochs", "1", "--train-count", "256",
            "--out", TrainedModels.PathTo("robust.zip"));

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(result.Output, Does.Contain("recipe (default preset): QuickNet, 1 epoch, batch 128, adam lr 0.001, " +
                                                "one-cycle schedule peaking at 0.008, label smoothing 0.1, seed 1"));
        Assert.That(result.Output, Does.Contain("augmentation " + DigitsML.Networks.ImageAugmentation.Robust.Summary() +
                                                "; weight average on, decay 0.999"));
        Assert.That(result.Output, Does.Contain("epoch 1/1"));
    }

    [Test]
    public void Train_AugmentationFlags_ChangeThoseSharesOnly()
    {
        var result = DigitsTool.Run("train", "--data", MnistFiles.Directory, "--epochs", "1", "--train-count", "256",
            "--elastic", "0.3", "--low-resolution", "0.1", "--stroke", "0.2", "--scribble", "0", "--out", TrainedModels.PathTo("augmentation-flags.zip"));

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        var expected = DigitsML.Networks.ImageAugmentation.Robust with
        {
            ElasticProbability = 0.3, LowResolutionProbability = 0.1, StrokeProbability = 0.2, ScribbleProbability = 0,
        };
        Assert.That(result.Output, Does.Contain("recipe (default preset): QuickNet, 1 epoch"));
        Assert.That(result.Output, Does.Contain("augmentation " + expected.Summary() + ";"));
        Assert.That(expected.Summary(), Does.Contain("elastic 30 %, low resolution 10 %").And.Contain("stroke 20 %").And.Not.Contain("scribble"));
    }

    // digitnet: the first default, without augmentation; record-15s: QuickNet for its one epoch.
    [TestCase("digitnet", "recipe (digitnet preset): DigitNet, 1 epoch, batch 128, adam lr 0.001, one-cycle schedule peaking at 0.005, " +
              "label smoothing 0, seed 1", "augmentation none; weight average off", "--epochs", "1")]
    [TestCase("record-15s", "recipe (record-15s preset): QuickNet, 1 epoch, batch 128, adam lr 0.001, one-cycle schedule peaking at 0.008, " +
              "label smoothing 0.1, seed 1", "epoch 1/1")]
    public void Train_Preset_HeaderStatesItsRecipe(string preset, string header, string line, params string[] extra)
    {
        var result = DigitsTool.Run(["train", "--data", MnistFiles.Directory, "--preset", preset, .. extra, "--train-count", "256",
            "--out", TrainedModels.PathTo($"{preset}-preset.zip")]);

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(result.Output, Does.Contain(header));
        Assert.That(result.Output, Does.Contain(line));
    }

    [Test]
    public void Train_Members_SavesTheSoftVoteOfThatManyNetworks()
    {
        string path = TrainedModels.PathTo("members.zip");
        var result = DigitsTool.Run("train", "--data", MnistFiles.Directory, "--preset", "digitnet", "--members", "2", "--seed", "5",
            "--epochs", "1", "--train-count", "300", "--out", path, "--json");

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        using var json = JsonDocument.Parse(result.Output);
        var root = json.RootElement;
        Assert.That(root.GetProperty("members").GetInt32(), Is.EqualTo(2));
        Assert.That(root.GetProperty("recipe").GetProperty("seed").GetInt32(), Is.EqualTo(5));
        Assert.That(root.GetProperty("epochs").GetArrayLength(), Is.EqualTo(2), "one epoch of each network");
        Assert.That(root.GetProperty("parameters").GetInt64(), Is.EqualTo(2 * 50_282), "two DigitNets");
        var ml = new MLContext();
        var model = ml.Model.Load(path, out _);
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(ml.Data.LoadFromIdx(MnistFiles.TestImages, MnistFiles.TestLabels)));
        (model as IDisposable)?.Dispose();
        Assert.That(metrics.MicroAccuracy, Is.EqualTo(root.GetProperty("metrics").GetProperty("microAccuracy").GetDouble()));
    }

    [Test]
    public void Train_MembersWithCheckpoint_OneLineAndExit2()
    {
        var result = DigitsTool.Run("train", "--data", MnistFiles.Directory, "--members", "2", "--checkpoint", TrainedModels.PathTo("m.ckpt"),
            "--epochs", "1", "--train-count", "100", "--out", TrainedModels.PathTo("never.zip"));

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error.Trim().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(result.Error, Does.StartWith("digits: error: The recipe's CheckpointPath").And.Contain("2 members would each write it"));
        Assert.That(result.Output, Is.Empty, "refused before the data is read");
        Assert.That(File.Exists(TrainedModels.PathTo("never.zip")), Is.False);
    }

    [Test]
    public void Train_Record1hPreset_HeaderSaysItTrainsAnEnsemble()
    {
        var result = DigitsTool.Run("train", "--data", MnistFiles.Directory, "--preset", "record-1h", "--epochs", "1", "--train-count", "256",
            "--out", TrainedModels.PathTo("record-1h.zip"));

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(result.Output, Does.Contain($"{DigitsML.Trainers.TrainingPresets.Record9965In1HourMembers} networks, seeds 1–" +
                                                $"{DigitsML.Trainers.TrainingPresets.Record9965In1HourMembers}, one after another; saved as their soft-voting ensemble"));
        Assert.That(result.Output, Does.Contain($"({DigitsML.Trainers.TrainingPresets.Record9965In1HourMembers} networks)"));
    }

    [TestCase("--preset", "nope", "unknown preset 'nope'; choose default, digitnet, an-et-al, record-15s, record-5min, record-1h")]
    [TestCase("--patience", "3", "EarlyStoppingPatience and SelectBestEpoch decide on held-out training rows: set ValidationFraction")]
    [TestCase("--best-epoch", "true", "set ValidationFraction (e.g. 0.1)")]
    [TestCase("--lr", "0.1", "--lr has no effect with the onecycle schedule")]
    [TestCase("--rotate", "400", "--rotate must be in [0, 180]; got 400")]
    [TestCase("--elastic", "2", "--elastic must be in [0, 1]; got 2")]
    [TestCase("--low-resolution", "-0.5", "--low-resolution must be in [0, 1]; got -0.5")]
    [TestCase("--members", "0", "--members must be in [1, 64]; got 0")]
    [TestCase("--clip-grad-norm", "-1", "--clip-grad-norm must be finite and not negative; got -1")]
    public void Train_RecipeMistake_OneLineAndExit2(string flag, string value, string message)
    {
        var result = DigitsTool.Run("train", "--data", MnistFiles.Directory, flag, value, "--out", TrainedModels.PathTo("never.zip"));

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error.Trim().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(result.Error, Does.StartWith("digits: error:").And.Contain(message));
        Assert.That(result.Output, Is.Empty);
    }

    [TestCase("--out")]
    [TestCase("--checkpoint")]
    [TestCase("--report")]
    public void Train_OutputFolderMissing_OneLineAndExit1BeforeTraining(string flag)
    {
        string missing = Path.Combine(TrainedModels.PathTo("no-such-folder"), "file");
        string[] outputs = flag == "--out" ? ["--out", missing] : [flag, missing, "--out", TrainedModels.PathTo("never.zip")];

        var result = DigitsTool.Run(["train", "--data", MnistFiles.Directory, "--epochs", "1", "--train-count", "100", .. outputs]);

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Error.Trim().Split('\n'), Is.EqualTo(new[]
            { $"digits: error: {flag} {missing}: the folder {Path.GetDirectoryName(missing)} does not exist" }));
        Assert.That(result.Output, Is.Empty, "refused before the data is read or anything trained");
    }

    [Test]
    public void Train_ClipGradNorm_InTheHeaderAndTheJsonRecipe()
    {
        var result = DigitsTool.Run("train", "--data", MnistFiles.Directory, "--preset", "digitnet", "--clip-grad-norm", "0.5",
            "--epochs", "1", "--train-count", "200", "--out", TrainedModels.PathTo("clipped.zip"), "--json");

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        using var json = JsonDocument.Parse(result.Output);
        Assert.That(json.RootElement.GetProperty("recipe").GetProperty("gradientClipNorm").GetDouble(), Is.EqualTo(0.5));
    }
}
