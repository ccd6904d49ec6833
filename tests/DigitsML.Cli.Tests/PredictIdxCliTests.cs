// PredictIdxCliTests.cs — `digits predict` (and evaluate) on IDX files (only --count images read, a bad file's own
// message) and on an ordinary ML.NET model whose label keys are in occurrence order (issues 19 and 20, rows 2, 4 and 9).
using System.Text.Json;

namespace DigitsML.Cli.Tests;

[TestFixture]
[NonParallelizable]
public sealed class PredictIdxCliTests
{
    private const int Images = 200;

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [Test]
    public void Predict_GzipIdxClaimingMillionsOfImages_ReadsOnlyTheCountAsked()
    {
        using var folder = new TemporaryDirectory();
        // The header claims 2.7 M images and 12 follow: reading past them would fail; --count 10 must not read them.
        string idx = HostileFiles.GzipIdxImages(Path.Combine(folder.Path, "claims.idx.gz"), claimed: 2_700_000, held: 12, step: 40);

        var result = DigitsTool.Run("predict", TrainedModels.Classic, idx, "--json");

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        using var json = JsonDocument.Parse(result.Output);
        var inputs = json.RootElement.GetProperty("predictions").EnumerateArray().Select(p => p.GetProperty("input").GetString());
        Assert.That(inputs, Is.EqualTo(Enumerable.Range(0, 10).Select(i => $"{idx}[{i}]")), "the default --count is 10");
    }

    [Test]
    public void Predict_TruncatedGzipIdx_OneLineWithTheIdxReadersMessage()
    {
        using var folder = new TemporaryDirectory();
        string idx = HostileFiles.GzipIdxImages(Path.Combine(folder.Path, "short.idx.gz"), claimed: 20, held: 5);

        var result = DigitsTool.Run("predict", TrainedModels.Classic, idx, "--count", "0");

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(Lines(result.Error), Is.EqualTo(new[]
        {
            $"digits: error: {idx}: truncated: the header promises 20 images but the data ends in record 5",
        }), "the reader's message, not ML.NET's 'Splitter/consolidator worker encountered exception'");
        Assert.That(Lines(result.Output), Has.Length.EqualTo(6), "header and the five images read before the end");
    }

    [Test]
    public void Evaluate_TruncatedGzipIdx_OneLineWithTheIdxReadersMessage()
    {
        using var folder = new TemporaryDirectory();
        // 10,000 images claimed (as many as the labels file holds), 30 present: the header check passes, the read fails.
        string idx = HostileFiles.GzipIdxImages(Path.Combine(folder.Path, "short.idx.gz"), claimed: 10_000, held: 30);

        var result = DigitsTool.Run("evaluate", TrainedModels.Classic, "--test-images", idx, "--test-labels", MnistFiles.TestLabels);

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(Lines(result.Error), Is.EqualTo(new[]
        {
            $"digits: error: {idx}: truncated: the header promises 10,000 images but the data ends in record 30",
        }), "the reader's message, not ML.NET's 'Splitter/consolidator worker encountered exception'");
    }

    [Test]
    public void Predict_OccurrenceOrderedSdcaModel_AnswersAsMLNetEvaluateScoresIt()
    {
        using var folder = new TemporaryDirectory();
        var ml = new MLContext(seed: 1);
        string path = OccurrenceOrderedModel.Save(Path.Combine(folder.Path, "sdca.zip"));
        var model = ml.Model.Load(path, out _);
        var test = ml.Data.TakeRows(ml.Data.LoadFromIdx(MnistFiles.TestImages, MnistFiles.TestLabels), Images);
        var scored = model.Transform(test);
        VBuffer<float> keys = default;
        scored.Schema["Label"].GetKeyValues(ref keys);
        Assert.That(keys.DenseValues(), Is.Not.Ordered, "the keys are in occurrence order: Score's slot i is not the digit i");
        double accuracy = ml.MulticlassClassification.Evaluate(scored).MicroAccuracy;
        var values = ml.Transforms.Conversion.MapKeyToValue("Value", "PredictedLabel").Fit(scored).Transform(scored);
        var expected = values.GetColumn<float>("Value").Select(v => $"{v}").ToList();

        var result = DigitsTool.Run("predict", path, MnistFiles.TestImages, "--labels", MnistFiles.TestLabels, "--count", $"{Images}", "--json");

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        using var json = JsonDocument.Parse(result.Output);
        var digits = json.RootElement.GetProperty("predictions").EnumerateArray().Select(p => p.GetProperty("digit").GetString()).ToList();
        Assert.That(digits, Is.EqualTo(expected), "the model's own PredictedLabel, image by image");
        Assert.That(json.RootElement.GetProperty("right").GetInt32(), Is.EqualTo((int)Math.Round(accuracy * Images)), "Evaluate's accuracy");
        Assert.That(json.RootElement.GetProperty("classes").EnumerateArray().Select(c => c.GetString()),
            Is.EqualTo(Enumerable.Range(0, 10).Select(d => $"{d}")));

        // digits evaluate names ML.NET's per-class figures (in key order) by the keys' values, not by slot index.
        var evaluation = DigitsTool.Run("evaluate", path, "--test-images", MnistFiles.TestImages, "--test-labels", MnistFiles.TestLabels, "--json");
        Assert.That(evaluation.ExitCode, Is.Zero, evaluation.Error);
        using var metrics = JsonDocument.Parse(evaluation.Output);
        var perClass = metrics.RootElement.GetProperty("metrics").GetProperty("perClass").EnumerateArray()
            .ToDictionary(c => c.GetProperty("class").GetString()!, c => c.GetProperty("images").GetInt64());
        Assert.That(perClass.Keys, Is.EqualTo(keys.DenseValues().Select(v => $"{v}")));
        var truth = File.ReadAllBytes(MnistFiles.TestLabels).AsSpan(8).ToArray();
        Assert.That(perClass, Is.EqualTo(Enumerable.Range(0, 10).ToDictionary(d => $"{d}", d => (long)truth.Count(t => t == d))));
    }
}
