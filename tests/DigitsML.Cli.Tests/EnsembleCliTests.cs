// EnsembleCliTests.cs — `digits ensemble`: trained model files combined into one voting model file (one ONNX graph) that
// evaluate and predict load; --json; members that score other classes refused on one line.
using System.Globalization;
using System.Text.Json;

namespace DigitsML.Cli.Tests;

[TestFixture]
[NonParallelizable]
public sealed class EnsembleCliTests
{
    private string ensemble = "";
    private DigitsTool.Result combined = null!;

    [OneTimeSetUp]
    public void CombineTwoModels()
    {
        ensemble = TrainedModels.PathTo("ensemble.zip");
        combined = DigitsTool.Run("ensemble", TrainedModels.Classic, TrainedModels.DigitNet, "--vote", "hard", "--out", ensemble,
            "--data", MnistFiles.Directory);
        TestContext.Out.WriteLine(combined.Output + combined.Error);
    }

    [Test]
    public void Ensemble_TwoModels_PrintsEachMemberAndBothVotesAndSavesTheChosenVote()
    {
        Assert.That(combined.ExitCode, Is.Zero, combined.Error);
        Assert.That(combined.Error, Is.Empty);
        var lines = combined.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(7));
        Assert.That(lines[0], Is.EqualTo("2 models combined, evaluated on 10,000 test images:"));
        Assert.That(lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(new[] { "model", "accuracy", "macro", "log-loss", "top-2" }));
        Assert.That(lines[2], Does.StartWith(TrainedModels.Classic));
        Assert.That(lines[3], Does.StartWith(TrainedModels.DigitNet));
        Assert.That(lines[4], Does.StartWith("soft vote"));
        Assert.That(lines[5], Does.StartWith("hard vote"));
        Assert.That(lines[6], Is.EqualTo($"hard-vote ensemble saved to {ensemble}"));
        Assert.That(File.Exists(ensemble), Is.True);
    }

    [Test]
    public void Ensemble_MemberLines_GiveEachFilesOwnAccuracy()
    {
        var lines = combined.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (var (line, model) in new[] { (lines[2], TrainedModels.Classic), (lines[3], TrainedModels.DigitNet) })
        {
            var evaluated = DigitsTool.Run("evaluate", "--model", model, "--data", MnistFiles.Directory, "--json");
            Assert.That(evaluated.ExitCode, Is.Zero, evaluated.Error);
            using var json = JsonDocument.Parse(evaluated.Output);
            double accuracy = json.RootElement.GetProperty("metrics").GetProperty("microAccuracy").GetDouble();
            Assert.That(line, Does.StartWith(model));
            Assert.That(line[model.Length..].TrimStart(), Does.StartWith(Percent(accuracy) + " "), model);
        }
    }

    [Test]
    public void Evaluate_SavedEnsemble_LoadsAndGivesTheHardVotesAccuracy()
    {
        var evaluated = DigitsTool.Run("evaluate", "--model", ensemble, "--data", MnistFiles.Directory, "--json");

        Assert.That(evaluated.ExitCode, Is.Zero, evaluated.Error);
        using var json = JsonDocument.Parse(evaluated.Output);
        double accuracy = json.RootElement.GetProperty("metrics").GetProperty("microAccuracy").GetDouble();
        string hardLine = combined.Output.Split('\n').Single(l => l.StartsWith("hard vote", StringComparison.Ordinal));
        Assert.That(hardLine, Does.Contain(Percent(accuracy)));
    }

    [Test]
    public void Predict_SavedEnsemble_PredictsThePhotos()
    {
        var predicted = DigitsTool.Run("predict", ensemble, Photos.Digits);

        Assert.That(predicted.ExitCode, Is.Zero, predicted.Error);
        Assert.That(predicted.Output, Does.Contain($" of {Photos.Decoded.Count} labelled images right"));
    }

    [Test]
    public void Report_SavedEnsemble_ShowsEveryMembersNetwork()
    {
        string html = TrainedModels.PathTo("ensemble.html");

        var result = DigitsTool.Run("report", ensemble, "--out", html, "--data", MnistFiles.Directory);

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        string page = File.ReadAllText(html);
        Assert.That(page, Does.Contain("PyTorchExampleClassic").And.Contain("DigitNet").And.Contain("id=\"curves\""));
    }

    [Test]
    public void Ensemble_Json_ParsesWithMembersAndBothVotes()
    {
        string output = TrainedModels.PathTo("ensemble-soft.zip");
        var result = DigitsTool.Run("ensemble", TrainedModels.Classic, TrainedModels.DigitNet, "--out", output, "--data", MnistFiles.Directory, "--json");

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        using var json = JsonDocument.Parse(result.Output);
        var root = json.RootElement;
        Assert.That(root.GetProperty("model").GetString(), Is.EqualTo(output));
        Assert.That(root.GetProperty("voting").GetString(), Is.EqualTo("soft"));
        var members = root.GetProperty("members").EnumerateArray().ToList();
        Assert.That(members.Select(m => m.GetProperty("model").GetString()), Is.EqualTo(new[] { TrainedModels.Classic, TrainedModels.DigitNet }));
        foreach (var metrics in members.Select(m => m.GetProperty("metrics")).Append(root.GetProperty("soft")).Append(root.GetProperty("hard")))
        {
            Assert.That(metrics.GetProperty("images").GetInt64(), Is.EqualTo(10_000));
            Assert.That(metrics.GetProperty("microAccuracy").GetDouble(), Is.InRange(0.0, 1.0));
            Assert.That(metrics.GetProperty("confusionMatrix").GetProperty("counts").GetArrayLength(), Is.EqualTo(10));
        }
        Assert.That(File.Exists(output), Is.True);
    }

    [Test]
    public void Ensemble_MemberScoringOtherClasses_OneLineNamingTheModelsAndExit1()
    {
        // The first ten MNIST training labels hold 7 of the 10 digits, so this model scores 7 classes.
        string sevenClasses = TrainedModels.PathTo("seven-classes.zip");
        var trained = DigitsTool.Run("train", "--preset", "digitnet", "--data", MnistFiles.Directory, "--arch", "PyTorchExampleClassic",
            "--epochs", "1", "--train-count", "10", "--out", sevenClasses);
        Assert.That(trained.ExitCode, Is.Zero, trained.Error);
        string never = TrainedModels.PathTo("never.zip");

        var result = DigitsTool.Run("ensemble", TrainedModels.Classic, sevenClasses, "--out", never, "--data", MnistFiles.Directory);

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Error.Trim().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(result.Error, Does.StartWith($"digits: error: cannot combine these models (members: 0 = {TrainedModels.Classic}, 1 = {sevenClasses}):")
            .And.Contain("member 1 (PyTorchExampleClassic) gives 7 classes but member 0 (PyTorchExampleClassic) gives 10 classes"));
        Assert.That(File.Exists(never), Is.False);
    }

    [Test]
    public void Ensemble_NotAModelFile_OneLineNamingItAndExit1()
    {
        string bad = TrainedModels.PathTo("ensemble-bad.zip");
        File.WriteAllText(bad, "not a zip");

        var result = DigitsTool.Run("ensemble", TrainedModels.Classic, bad, "--out", TrainedModels.PathTo("never.zip"), "--data", MnistFiles.Directory);

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Error.Trim().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(result.Error, Does.StartWith($"digits: error: {bad}: not an ML.NET model zip"));
    }

    private static string Percent(double value) => value.ToString("P2", CultureInfo.InvariantCulture);
}
