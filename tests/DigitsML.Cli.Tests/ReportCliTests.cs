// ReportCliTests.cs — `digits report MODEL.zip`: the HTML report of a saved model, training curves included (they travel
// in the model file's ONNX metadata), and a missing model on one line.
namespace DigitsML.Cli.Tests;

[TestFixture]
[NonParallelizable]
public sealed class ReportCliTests
{
    [Test]
    public void Report_SavedModel_HasCurvesConfusionAndTheNetwork()
    {
        string html = TrainedModels.PathTo("saved-report.html");

        var result = DigitsTool.Run("report", TrainedModels.DigitNet, "--out", html, "--data", MnistFiles.Directory);

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(result.Output.Trim(), Is.EqualTo($"report written to {html}"));
        string page = File.ReadAllText(html);
        Assert.That(page, Does.StartWith("<!DOCTYPE html>").And.Contain("id=\"curves\"").And.Contain("id=\"confusion\"").And.Contain("DigitNet"));
        Assert.That(page, Does.Contain("id=\"loss-chart\"").And.Not.Contain("carries no training history"), "the training curves are drawn");
    }

    [Test]
    public void Report_MissingModel_OneLineAndExit1()
    {
        string html = TrainedModels.PathTo("never.html");

        var result = DigitsTool.Run("report", TrainedModels.PathTo("absent.zip"), "--out", html, "--data", MnistFiles.Directory);

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Error.Trim(), Is.EqualTo($"digits: error: file not found: {TrainedModels.PathTo("absent.zip")}"));
        Assert.That(File.Exists(html), Is.False);
    }
}
