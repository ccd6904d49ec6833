// ModelScores.cs — a model file's own Score and PredictedLabel on the first MNIST test images, read as a user's app reads
// them: ml.Model.Load in a fresh MLContext, then Transform.
namespace DigitsML.Cli.Tests;

internal sealed record ModelScores(float[][] Scores, float[] Predicted, float[][] Pixels)
{
    private sealed class ScoredRow
    {
        public float[] Score { get; set; } = [];

        public float PredictedLabel { get; set; }

        public float[] Features { get; set; } = [];
    }

    /// <summary>Scores the first <paramref name="rows"/> MNIST test images with the model file <paramref name="modelPath"/>.</summary>
    public static ModelScores Of(string modelPath, int rows)
    {
        var ml = new MLContext();
        var model = ml.Model.Load(modelPath, out _);
        try
        {
            var data = ml.Data.TakeRows(ml.Data.LoadFromIdx(MnistFiles.TestImages, MnistFiles.TestLabels), rows);
            var scored = ml.Data.CreateEnumerable<ScoredRow>(model.Transform(data), reuseRowObject: false).ToList();
            return new ModelScores([.. scored.Select(r => r.Score)], [.. scored.Select(r => r.PredictedLabel)], [.. scored.Select(r => r.Features)]);
        }
        finally
        {
            (model as IDisposable)?.Dispose();
        }
    }
}
