// PredictionEnginePoolLoadTests.cs — issue 11 part 7: 16 threads × 10,000 predictions through one pool over a loaded model
// give exactly the single-thread results, scores bit for bit and the same digits.
using System.Diagnostics;

namespace DigitsML.Tests.Reliability;

[TestFixture]
[Category("Slow")]
public sealed class PredictionEnginePoolLoadTests
{
    private const int Threads = 16;
    private const int PredictionsPerThread = 10_000;

    [Test]
    public void Predict_16ThreadsOf10000_BitIdenticalToSingleThread()
    {
        var ml = new MLContext();
        var model = ServingFixtures.LoadModel(ml);
        try
        {
            var images = ServingFixtures.Images(PredictionsPerThread);
            DigitPrediction[] expected;
            using (var engine = ml.Model.CreatePredictionEngine<DigitInput, DigitPrediction>(model, new PredictionEngineOptions { OwnsTransformer = false }))
                expected = [.. images.Select(engine.Predict)];
            var pool = new PredictionEnginePool<DigitInput, DigitPrediction>(model);
            int mismatches = 0;
            string? firstMismatch = null;

            var clock = Stopwatch.StartNew();
            Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, thread =>
            {
                // Each thread walks the images from its own starting point, so threads predict different images at once.
                for (int k = 0; k < PredictionsPerThread; k++)
                {
                    int i = (k + thread * 617) % images.Length;
                    var p = pool.Predict(images[i]);
                    bool same = p.PredictedLabel == expected[i].PredictedLabel &&
                        p.Score.AsSpan().SequenceEqual(expected[i].Score);  // float equality: bit-identical here, no NaN in a softmax
                    if (!same && Interlocked.Increment(ref mismatches) == 1)
                        firstMismatch = $"thread {thread}, image {i}: {p.PredictedLabel} [{string.Join(", ", p.Score)}] vs " +
                                        $"{expected[i].PredictedLabel} [{string.Join(", ", expected[i].Score)}]";
                }
            });
            clock.Stop();

            TestContext.Out.WriteLine($"{Threads} threads × {PredictionsPerThread:N0} predictions in {clock.Elapsed.TotalSeconds:F1} s " +
                                      $"({Threads * PredictionsPerThread / clock.Elapsed.TotalSeconds:N0} predictions/s on {Environment.ProcessorCount} cores)");
            Assert.That(mismatches, Is.Zero, firstMismatch);
            Assert.That(expected.Select(e => e.PredictedLabel).Distinct().Count(), Is.EqualTo(10), "the model predicts every digit, so the check can tell rows apart");
        }
        finally
        {
            (model as IDisposable)?.Dispose();
        }
    }
}
