// PredictionEnginePoolLoadTests.cs — 16 threads × 10,000 predictions through one pool give exactly the single-thread scores.
using System.Diagnostics;

namespace DigitsML.Tests.Reliability;

[TestFixture]
[Category("Slow")]
public sealed class PredictionEnginePoolLoadTests
{
    private const int Threads = 16;
    private const int PredictionsPerThread = 10_000;

    [Test]
    public void Predict_16ThreadsOf10000_ScoresBitIdenticalToSingleThread()
    {
        var ml = new MLContext();
        using var model = ServingFixtures.SeedNetModel();
        var images = ServingFixtures.Images(PredictionsPerThread);
        float[][] expected;
        using (var engine = ml.Model.CreatePredictionEngine<ImageRow, ScoreRow>(model))
            expected = [.. images.Select(i => engine.Predict(i).Score)];
        var pool = new PredictionEnginePool<ImageRow, ScoreRow>(model);
        int mismatches = 0;
        string? firstMismatch = null;

        var clock = Stopwatch.StartNew();
        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, thread =>
        {
            // Each thread walks the images from its own starting point, so threads predict different images at once.
            for (int k = 0; k < PredictionsPerThread; k++)
            {
                int i = (k + thread * 617) % images.Length;
                float[] score = pool.Predict(images[i]).Score;
                if (!score.AsSpan().SequenceEqual(expected[i]) && Interlocked.Increment(ref mismatches) == 1)
                    firstMismatch = $"thread {thread}, image {i}: [{string.Join(", ", score)}] vs [{string.Join(", ", expected[i])}]";
            }
        });
        clock.Stop();

        TestContext.Out.WriteLine($"{Threads} threads × {PredictionsPerThread:N0} predictions in {clock.Elapsed.TotalSeconds:F1} s " +
                                  $"({Threads * PredictionsPerThread / clock.Elapsed.TotalSeconds:N0} predictions/s on {Environment.ProcessorCount} cores)");
        Assert.That(mismatches, Is.Zero, firstMismatch);
    }
}
