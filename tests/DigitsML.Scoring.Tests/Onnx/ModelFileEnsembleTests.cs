// ModelFileEnsembleTests.cs — model zips combined into one voting model without the training package: the first model's
// pipeline around one voting graph, which scores, saves and loads as its members do.
using DigitsML.Testing;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DigitsML.Scoring.Tests.Onnx;

[TestFixture]
public sealed class ModelFileEnsembleTests
{
    private sealed class Scored
    {
        public float PredictedLabel { get; set; }

        public float[] Score { get; set; } = [];
    }

    private static List<Scored> Predict(MLContext ml, ITransformer model) =>
        [.. ml.Data.CreateEnumerable<Scored>(model.Transform(SavedGraphs.Test(ml)), reuseRowObject: false)];

    [Test]
    public void Combine_OneModelTwice_SavesAndLoadsScoringAsTheModel()
    {
        var ml = new MLContext(seed: 1);
        using var folder = new TemporaryDirectory();
        string path = Path.Combine(folder.Path, "pair.zip");
        var test = SavedGraphs.Test(ml);
        var single = ml.Model.LoadDigitsModel(SavedGraphs.ModelPath, out _);
        var pair = ModelFileEnsemble.Combine(ml, [SavedGraphs.ModelPath, SavedGraphs.ModelPath], VotingKind.Soft, test);
        try
        {
            ml.Model.Save(pair, test.Schema, path);
            var loaded = ml.Model.LoadDigitsModel(path, out _);
            try
            {
                var expected = Predict(ml, single);
                var actual = Predict(ml, loaded);

                Assert.That(actual.Select(r => r.PredictedLabel), Is.EqualTo(expected.Select(r => r.PredictedLabel)));
                for (int r = 0; r < expected.Count; r++)
                    Assert.That(actual[r].Score, Is.EqualTo(expected[r].Score).Within(1e-6f), $"row {r}");
                Assert.That(TrainingMetadata.FromOnnx(OnnxGraphs.ToBatched(TrainingMetadata.ReadOnnxFromModelZip(path))).Histories,
                    Has.Count.EqualTo(2), "both members' histories travel with the saved ensemble");
            }
            finally
            {
                (loaded as IDisposable)?.Dispose();
            }
        }
        finally
        {
            (pair as IDisposable)?.Dispose();
            (single as IDisposable)?.Dispose();
        }
    }

    [Test]
    public void Combine_NoModelFiles_ThrowsArgumentException()
    {
        var ml = new MLContext();

        Assert.Throws<ArgumentException>(() => ModelFileEnsemble.Combine(ml, [], VotingKind.Soft, SavedGraphs.Test(ml)));
    }

    [Test]
    public void Combine_MissingFile_ThrowsFileNotFoundException()
    {
        var ml = new MLContext();

        Assert.Throws<FileNotFoundException>(() =>
            ModelFileEnsemble.Combine(ml, [SavedGraphs.ModelPath, "absent.zip"], VotingKind.Hard, SavedGraphs.Test(ml)));
    }
}
