// TrainedModel.cs — the model every test serves: DigitNet, 1 epoch on the first 10,000 MNIST training images, trained
// once per test run (about 10 s) and saved as the ML.NET zip the app loads; with an in-process scorer for the answers
// the app must give.
using DigitsML.Testing;
using DigitsML.Trainers;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace DigitsML.WebApp.Tests;

[SetUpFixture]
public sealed class TrainedModel
{
    private const int TrainRows = 10_000;
    private static readonly Lazy<(TemporaryDirectory Folder, string Path)> Saved = new(Train, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The saved model file.</summary>
    public static string Path => Saved.Value.Path;

    private static (TemporaryDirectory, string) Train()
    {
        var folder = new TemporaryDirectory();
        var ml = new MLContext(seed: 1);
        IDataView train = ml.Data.TakeRows(ml.Data.LoadFromIdx(MnistFiles.TrainImages, MnistFiles.TrainLabels), TrainRows);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
            .Append(ml.MulticlassClassification.Trainers.Cnn(new CnnTrainer.Options { Architecture = CnnArchitectures.DigitNet, Epochs = 1, Seed = 1 }))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var model = pipeline.Fit(train);
        string path = System.IO.Path.Combine(folder.Path, "digits-model.zip");
        ml.Model.Save(model, train.Schema, path);
        TestContext.Progress.WriteLine($"DigitNet trained 1 epoch on {TrainRows:N0} MNIST images in {clock.Elapsed.TotalSeconds:F1} s: {path}");
        return (folder, path);
    }

    [OneTimeTearDown]
    public void RemoveModel()
    {
        if (Saved.IsValueCreated)
            Saved.Value.Folder.Dispose();
    }

    private sealed class PathRow
    {
        public string ImagePath { get; set; } = "";

        public float Label { get; set; } // the model's MapValueToKey reads it; its value plays no part in the scores
    }

    private sealed class Scored
    {
        public float PredictedLabel { get; set; }
        public float[] Score { get; set; } = [];
    }

    /// <summary>What the saved model, loaded in a fresh MLContext, says of each image file through ML.NET's own
    /// LoadImages → NormalizeDigit: the predicted digit and the ten probabilities (the model scores the digits in order).</summary>
    public static (int Digit, float[] Probabilities)[] ScoreFiles(IReadOnlyList<string> paths)
    {
        var ml = new MLContext();
        var model = ml.Model.Load(Path, out _);
        var data = ml.Data.LoadFromEnumerable(paths.Select(p => new PathRow { ImagePath = p }).ToList());
        var read = ml.Transforms.LoadImages("Image", imageFolder: null, inputColumnName: "ImagePath")
            .Append(ml.Transforms.NormalizeDigit("Features", "Image")).Fit(data);
        return [.. ml.Data.CreateEnumerable<Scored>(model.Transform(read.Transform(data)), reuseRowObject: false)
            .Select(s => ((int)s.PredictedLabel, s.Score))];
    }

    /// <summary>What the saved model says of 784 features through an ML.NET prediction engine.</summary>
    public static (int Digit, float[] Probabilities)[] ScoreFeatures(IEnumerable<float[]> features)
    {
        var ml = new MLContext();
        var model = ml.Model.Load(Path, out _);
        using var engine = ml.Model.CreatePredictionEngine<DigitInput, DigitPrediction>(model);
        return [.. features.Select(f => engine.Predict(new DigitInput { Features = f })).Select(p => ((int)p.PredictedLabel, p.Score))];
    }
}
