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

    [Test]
    public void Report_WithRobustSet_AddsTheRobustnessTable()
    {
        // A hand-made set: 100 test images as the clean ones and as one "corruption" that changes nothing, so both rows
        // must agree.
        string set = TrainedModels.PathTo("robust-set");
        Directory.CreateDirectory(Path.Combine(set, "corruptions"));
        byte[] images = File.ReadAllBytes(Path.Combine(MnistFiles.Directory, "t10k-images-idx3-ubyte"));
        byte[] labels = File.ReadAllBytes(Path.Combine(MnistFiles.Directory, "t10k-labels-idx1-ubyte"));
        byte[] first = images[..(16 + 100 * 784)];
        Array.Clear(first, 4, 4);
        first[7] = 100;
        byte[] firstLabels = labels[..(8 + 100)];
        Array.Clear(firstLabels, 4, 4);
        firstLabels[7] = 100;
        File.WriteAllBytes(Path.Combine(set, "corruptions", "clean-images-idx3-ubyte"), first);
        File.WriteAllBytes(Path.Combine(set, "corruptions", "same-images-idx3-ubyte"), first);
        File.WriteAllBytes(Path.Combine(set, "corruptions", "labels-idx1-ubyte"), firstLabels);
        File.WriteAllText(Path.Combine(set, "corruptions", "index.tsv"), "same\tnothing changed\n");
        string html = TrainedModels.PathTo("robust-report.html");

        var result = DigitsTool.Run("report", TrainedModels.DigitNet, "--out", html, "--data", MnistFiles.Directory, "--robust", set);

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        string page = File.ReadAllText(html);
        var rows = System.Text.RegularExpressions.Regex.Matches(page, "<td style=\"text-align:left\">(clean|same)</td><td>100</td><td>([0-9.]+ %)</td>");
        Assert.That(rows.Select(m => m.Groups[1].Value), Is.EqualTo(new[] { "clean", "same" }));
        Assert.That(rows[1].Groups[2].Value, Is.EqualTo(rows[0].Groups[2].Value));
        Assert.That(page, Does.Contain("<b>mean of the 1 corruption</b>"));
    }

    [Test]
    public void Report_RobustFolderMissing_OneLineAndExit1()
    {
        string missing = TrainedModels.PathTo("no-such-set");

        var result = DigitsTool.Run("report", TrainedModels.DigitNet, "--out", TrainedModels.PathTo("x.html"), "--data", MnistFiles.Directory,
            "--robust", missing);

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Error.Trim(), Is.EqualTo($"digits: error: --robust: no folder at '{missing}'."));
    }
}
