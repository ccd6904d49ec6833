// PhotoRecognitionTests.cs — the issue's promise: photos of digits on paper are recognised by a CNN trained on MNIST.
using DigitsML.Engine;
using DigitsML.Networks;
using DigitsML.Tests.Pipeline;
using DigitsML.Trainers;

namespace DigitsML.Tests.Imaging;

public sealed class PhotoRecognitionTests
{
    [Test]
    [Category("Slow")]
    public void Predict_DigitPhotosThroughPipeline_MostRecognised()
    {
        var ml = new MLContext(seed: 7);
        var train = ml.Data.TakeRows(PipelineData.MnistTrain, 10_000);
        var trainer = ml.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
            .Append(ml.MulticlassClassification.Trainers.Cnn(new CnnTrainer.Options
            {
                Architecture = CnnArchitectures.DigitNet,
                Epochs = 1,
                Optimizer = new AdamOptimizer { LearningRate = 0.003 },
                Schedule = new ConstantLR(),
                Seed = 7,
            }))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
        var model = trainer.Fit(train);
        try
        {
            var photos = ml.Data.LoadFromImageFolder(ImageFixtures.Digits);
            var features = ml.Transforms.LoadImages("Image", imageFolder: null, inputColumnName: "ImagePath").Append(ml.Transforms.NormalizeDigit("Features", "Image")).Fit(photos).Transform(photos);
            // The model's MapValueToKey turns Label into a key, so the truth is read from each photo's folder name.
            var rows = PipelineData.ReadAll(model.Transform(features), "PredictedLabel", "ImagePath");
            static string Digit(object? path) => Path.GetFileName(Path.GetDirectoryName((string)path!))!;
            var wrong = rows.Where(r => (float)r["PredictedLabel"]! != float.Parse(Digit(r["ImagePath"])))
                .Select(r => $"{Digit(r["ImagePath"])}/{Path.GetFileName((string)r["ImagePath"]!)} → {r["PredictedLabel"]}")
                .ToList();
            double recognised = 1 - (double)wrong.Count / rows.Count;
            TestContext.Out.WriteLine($"recognised {rows.Count - wrong.Count} of {rows.Count} photos ({recognised:P0}); wrong: {string.Join(", ", wrong)}");
            Assert.That(rows, Has.Count.EqualTo(30));
            Assert.That(recognised, Is.GreaterThanOrEqualTo(0.8));
        }
        finally
        {
            (model as IDisposable)?.Dispose();
        }
    }
}
