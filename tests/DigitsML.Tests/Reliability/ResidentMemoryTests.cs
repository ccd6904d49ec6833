// ResidentMemoryTests.cs — no native leak: resident memory stays flat over 100,000 predictions on a loaded model and over
// 30 fit/evaluate/dispose cycles (libtorch training, ONNX export, ONNX Runtime sessions).
using DigitsML.Tests.Pipeline;
using DigitsML.Trainers;

namespace DigitsML.Tests.Reliability;

[TestFixture]
[Category("Slow")]
[NonParallelizable]
public sealed class ResidentMemoryTests
{
    /// <summary>The growth allowed after warm-up. A leaked SeedNet fit (weights, gradients, optimizer state: about 2.4 MB,
    /// plus its ONNX graph and session) would pass it within 14 cycles; a leak of 400 bytes per prediction within 100,000.</summary>
    private const long AllowedGrowth = 32L << 20;

    [Test]
    public void Predict_100000Predictions_ResidentMemoryStaysWithinBound()
    {
        var ml = new MLContext();
        var images = ServingFixtures.Images(100);
        using var engine = ml.Model.CreatePredictionEngine<DigitInput, DigitPrediction>(ServingFixtures.LoadModel(ml));
        var output = new DigitPrediction();
        for (int i = 0; i < 5_000; i++)
            engine.Predict(images[i % images.Length], ref output);
        long before = ServingFixtures.ResidentBytes();

        for (int i = 0; i < 100_000; i++)
            engine.Predict(images[i % images.Length], ref output);
        long after = ServingFixtures.ResidentBytes();

        TestContext.Out.WriteLine($"VmRSS after warm-up {before / 1048576.0:F1} MiB, after 100,000 predictions {after / 1048576.0:F1} MiB " +
                                  $"(growth {(after - before) / 1048576.0:F1} MiB, bound {AllowedGrowth / 1048576} MiB)");
        Assert.That(after - before, Is.LessThan(AllowedGrowth));
    }

    [Test]
    public void FitAndDispose_30Cycles_ResidentMemoryStaysWithinBound()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.Cache(ml.Data.TakeRows(PipelineData.MnistTrain, 128));
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
            .Append(ml.MulticlassClassification.Trainers.Cnn(new CnnTrainer.Options { Architecture = CnnArchitectures.SeedNet, Epochs = 1, BatchSize = 32 }));
        void Cycle()
        {
            using var model = pipeline.Fit(data);
            ml.MulticlassClassification.Evaluate(model.Transform(data));
        }
        // Warm-up lets the allocators (glibc arenas, oneDNN caches, ONNX Runtime's arenas) reach their working size first.
        for (int i = 0; i < 10; i++)
            Cycle();
        long before = ServingFixtures.ResidentBytes();

        for (int i = 0; i < 30; i++)
            Cycle();
        long after = ServingFixtures.ResidentBytes();

        TestContext.Out.WriteLine($"VmRSS after warm-up {before / 1048576.0:F1} MiB, after 30 fit/dispose cycles {after / 1048576.0:F1} MiB " +
                                  $"(growth {(after - before) / 1048576.0:F1} MiB, bound {AllowedGrowth / 1048576} MiB)");
        Assert.That(after - before, Is.LessThan(AllowedGrowth));
    }
}
