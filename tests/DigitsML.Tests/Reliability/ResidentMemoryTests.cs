// ResidentMemoryTests.cs — no native leak: resident memory stays flat over 200,000 predictions on a loaded model and over
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
    /// plus its ONNX graph and session) passes it over the 20 cycles the fit test compares; a leak of 340 bytes per
    /// prediction over the 100,000 predictions the prediction test compares.</summary>
    private const long AllowedGrowth = 32L << 20;

    [Test]
    public void Predict_200000Predictions_ResidentMemoryStaysWithinBound()
    {
        var ml = new MLContext();
        var images = ServingFixtures.Images(100);
        using var engine = ml.Model.CreatePredictionEngine<DigitInput, DigitPrediction>(ServingFixtures.LoadModel(ml));
        var output = new DigitPrediction();
        for (int i = 0; i < 5_000; i++)
            engine.Predict(images[i % images.Length], ref output);

        // One reading per 20,000 predictions; as in the fit test, the floor of the first three against that of the last three
        // (100,000 predictions apart: a leak of 340 bytes per prediction would cross the bound). Single readings right after
        // another test's fits wandered by tens of MiB; 300,000 predictions alone stayed within 4 MiB.
        var readings = new List<long>();
        for (int block = 0; block < 10; block++)
        {
            for (int i = 0; i < 20_000; i++)
                engine.Predict(images[i % images.Length], ref output);
            readings.Add(ServingFixtures.ResidentBytes());
        }
        long before = readings.Take(3).Min(), after = readings.TakeLast(3).Min();

        TestContext.Out.WriteLine($"VmRSS floor {before / 1048576.0:F1} MiB after 20,000 to 60,000 predictions, {after / 1048576.0:F1} MiB after " +
                                  $"160,000 to 200,000 (growth {(after - before) / 1048576.0:F1} MiB, bound {AllowedGrowth / 1048576} MiB; readings " +
                                  $"{string.Join(", ", readings.Select(r => (r / 1048576.0).ToString("F0")))})");
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
        // One reading after each cycle. Single readings wander by up to about 20 MiB here with no trend over 120 cycles
        // (allocator caches), so the lowest of the first ten is compared with the lowest of the last ten: a leak raises that
        // floor by its size times the 20 cycles between them.
        var readings = new List<long>();
        for (int i = 0; i < 30; i++)
        {
            Cycle();
            readings.Add(ServingFixtures.ResidentBytes());
        }
        long before = readings.Take(10).Min(), after = readings.TakeLast(10).Min();

        TestContext.Out.WriteLine($"VmRSS floor after warm-up {before / 1048576.0:F1} MiB, over the last 10 of 30 fit/dispose cycles " +
                                  $"{after / 1048576.0:F1} MiB (growth {(after - before) / 1048576.0:F1} MiB, bound {AllowedGrowth / 1048576} MiB; " +
                                  $"readings {string.Join(", ", readings.Select(r => (r / 1048576.0).ToString("F0")))})");
        Assert.That(after - before, Is.LessThan(AllowedGrowth));
    }
}
