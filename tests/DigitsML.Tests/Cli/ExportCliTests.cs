// ExportCliTests.cs — `digits export`: a trained model file and a voting ensemble as ONNX files that ONNX Runtime scores
// exactly as the model file does; bad inputs on one line.
using DigitsML.Tests.Reliability;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace DigitsML.Tests.Cli;

[TestFixture]
[NonParallelizable]
public sealed class ExportCliTests
{
    private const int Rows = 16;

    /// <summary>The model file's own Score column for the first test images, and those images.</summary>
    private static (float[] Scores, float[] Pixels) ScoreWithModelFile(string modelPath)
    {
        var ml = new MLContext();
        using var model = (IDisposable)ml.Model.Load(modelPath, out _);
        var data = ml.Data.TakeRows(ml.Data.LoadFromIdx(TestData.TestImages, TestData.TestLabels), Rows);
        var scores = ml.Data.CreateEnumerable<ScoreRow>(((ITransformer)model).Transform(data), reuseRowObject: false)
            .SelectMany(r => r.Score).ToArray();
        var pixels = ml.Data.CreateEnumerable<ImageRow>(data, reuseRowObject: false).SelectMany(r => r.Features).ToArray();
        return (scores, pixels);
    }

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
                "--data", TestData.MnistDirectory);
            Assert.That(combined.ExitCode, Is.Zero, combined.Error);
        }
        string onnx = TrainedModels.PathTo(ensemble ? "ensemble.onnx" : "classic.onnx");

        var exported = DigitsTool.Run("export", model, "--out", onnx);

        Assert.That(exported.ExitCode, Is.Zero, exported.Error);
        Assert.That(exported.Output.Trim(), Is.EqualTo($"ONNX model written to {onnx}"));
        var (expected, pixels) = ScoreWithModelFile(model);
        float[] actual = ScoreWithOnnxRuntime(onnx, pixels);
        Assert.That(actual, Has.Length.EqualTo(Rows * 10));
        for (int i = 0; i < actual.Length; i++)
            Assert.That(actual[i], Is.EqualTo(expected[i]).Within(1e-5), $"score {i}");
    }

    [Test]
    public void Export_NoOut_WritesBesideTheModel()
    {
        string copy = TrainedModels.PathTo("beside.zip");
        File.Copy(TrainedModels.Classic, copy, overwrite: true);

        var exported = DigitsTool.Run("export", copy);

        Assert.That(exported.ExitCode, Is.Zero, exported.Error);
        Assert.That(File.Exists(Path.ChangeExtension(copy, ".onnx")), Is.True);
    }

    [Test]
    public void Export_MissingModel_OneLineErrorAndExitCode1()
    {
        var exported = DigitsTool.Run("export", TrainedModels.PathTo("nosuch.zip"));

        Assert.That(exported.ExitCode, Is.EqualTo(1));
        Assert.That(exported.Error.Trim(), Does.StartWith("digits: error: file not found:").And.Not.Contain("\n"));
    }
}
