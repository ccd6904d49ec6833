// ImagePredictor.cs — scores image files with a digit model: each file goes through LoadImages → NormalizeDigit → the model.
namespace DigitsML.Cli;

internal static class ImagePredictor
{
    /// <summary>One row per image, in order, with the model's scores.</summary>
    public static IEnumerable<PredictionTable.Row> Predict(MLContext ml, ITransformer model, IReadOnlyList<PredictionInputs.Image> images)
    {
        // The models digits writes start by mapping Label to a key, so each file carries a placeholder label they never use.
        var files = ml.Data.LoadFromEnumerable(images.Select(i => new ImageFile { ImagePath = i.Path }));
        var features = ml.Transforms.LoadImages("Image", null, nameof(ImageFile.ImagePath))
            .Append(ml.Transforms.NormalizeDigit())
            .Fit(files)
            .Transform(files);
        return ml.Data.CreateEnumerable<ScoreRow>(model.Transform(features), reuseRowObject: false)
            .Select((row, i) => new PredictionTable.Row(images[i].Path, row.Score, images[i].Truth));
    }

    private sealed class ImageFile
    {
        public float Label { get; set; }

        public string ImagePath { get; set; } = "";
    }
}
