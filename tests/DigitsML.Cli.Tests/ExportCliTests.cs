// ExportCliTests.cs — `digits export`: a trained model file and a combined ensemble as ONNX files that ONNX Runtime scores
// exactly as the model file does; bad inputs on one line.
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace DigitsML.Cli.Tests;

[TestFixture]
[NonParallelizable]
public sealed class ExportCliTests
{
    private const int Rows = 16;

    private static float[] ScoreWithOnnxRuntime(string onnxPath, float[] pixels)
    {
        using var session = new InferenceSession(onnxPath);
        var input = new DenseTensor<float>(pixels, [Rows, 1, 28, 28]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("Features", input)]);
        return [.. results.Single(r => r.Name == "Score").AsEnumerable<float>()];
    }

    [TestCase(false)]
    [TestCase(true)]
    public void Export_ModelOrEnsemble_OnnxRuntimeScoresAsTheModelFile(bool ensemble)
    {
        string model = TrainedModels.Classic;
        if (ensemble)
        {
            model = TrainedModels.PathTo("export-ensemble.zip");
            var combined = DigitsTool.Run("ensemble", TrainedModels.Classic, TrainedModels.DigitNet, "--vote", "soft", "--out", model,
                "--data", MnistFiles.Directory);
            Assert.That(combined.ExitCode, Is.Zero, combined.Error);
        }
        string onnx = TrainedModels.PathTo(ensemble ? "ensemble.onnx" : "classic.onnx");

        var exported = DigitsTool.Run("export", model, "--out", onnx);

        Assert.That(exported.ExitCode, Is.Zero, exported.Error);
        Assert.That(exported.Output.Trim(), Is.EqualTo($"ONNX model written to {onnx}"));
        var expected = ModelScores.Of(model, Rows);
        float[] actual = ScoreWithOnnxRuntime(onnx, [.. expected.Pixels.SelectMany(p => p)]);
        float[] scores = [.. expected.Scores.SelectMany(s => s)];
        Assert.That(actual, Has.Length.EqualTo(Rows * 10));
        for (int i = 0; i < actual.Length; i++)
            Assert.That(actual[i], Is.EqualTo(scores[i]).Within(1e-5), $"score {i}");
    }

    [Test]
    public void Export_NoOut_WritesBesideTheModel()
    {
        string copy = TrainedModels.PathTo("beside.zip");
        File.Copy(TrainedModels.Classic, copy, overwrite: true);
        string onnx = Path.ChangeExtension(copy, ".onnx");

        var exported = DigitsTool.Run("export", copy);

        Assert.That(exported.ExitCode, Is.Zero, exported.Error);
        Assert.That(File.Exists(onnx), Is.True);
        using var session = new InferenceSession(onnx);
        Assert.That(session.InputMetadata.Keys, Is.EqualTo(new[] { "Features" }));
        Assert.That(session.OutputMetadata.Keys, Is.EqualTo(new[] { "Score" }));
    }

    [Test]
    public void Export_MissingModel_OneLineErrorAndExitCode1()
    {
        var exported = DigitsTool.Run("export", TrainedModels.PathTo("nosuch.zip"));

        Assert.That(exported.ExitCode, Is.EqualTo(1));
        Assert.That(exported.Error.Trim(), Is.EqualTo($"digits: error: file not found: {TrainedModels.PathTo("nosuch.zip")}"));
    }

    [Test]
    public void Export_NotAModelZip_OneLineNamingTheFile()
    {
        string bad = TrainedModels.PathTo("export-bad.zip");
        File.WriteAllText(bad, "not a zip");

        var exported = DigitsTool.Run("export", bad);

        Assert.That(exported.ExitCode, Is.EqualTo(1));
        Assert.That(exported.Error.Trim().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(exported.Error, Does.StartWith($"digits: error: {bad}: not an ML.NET model zip"));
        Assert.That(File.Exists(Path.ChangeExtension(bad, ".onnx")), Is.False);
    }
}
