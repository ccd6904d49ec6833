// ScoringBench.cs — scoring through the real ML.NET, as an app does it: a model saved with ml.Model.Save and loaded
// back, then a prediction engine (batch-1 latency), the engine pool on several threads, and batch scoring of the test set.
using System.Diagnostics;
using DigitsML;
using DigitsML.Trainers;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

/// <summary>The <c>--scoring</c> measurement of <c>build/bench.sh</c>.</summary>
internal static class ScoringBench
{
    /// <summary>Trains <paramref name="definitionName"/> for one epoch on 2,000 training images (scoring speed does not
    /// depend on the weights), saves and loads the model, and prints one line:
    /// <c>scoring=… engine_median_us=… engine_p99_us=… pool_threads=… pool_per_s=… batch_images=… batch_seconds=…</c>.</summary>
    internal static int Run(string definitionName, string folder, int runs, int warmup, int threads)
    {
        if (!CnnArchitectures.All.TryGetValue(definitionName, out var definition))
        {
            Console.Error.WriteLine($"DigitsML.Bench: unknown network '{definitionName}'");
            return 2;
        }
        var ml = new MLContext(seed: 1);
        var train = ml.Data.TakeRows(ml.Data.LoadFromIdx(Path.Combine(folder, "train-images-idx3-ubyte"), Path.Combine(folder, "train-labels-idx1-ubyte")), 2000);
        var test = ml.Data.LoadFromIdx(Path.Combine(folder, "t10k-images-idx3-ubyte"), Path.Combine(folder, "t10k-labels-idx1-ubyte"));
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
            .Append(ml.MulticlassClassification.Trainers.Cnn(new CnnTrainer.Options { Architecture = definition, Epochs = 1, Seed = 1 }))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
        string path = Path.Combine(Path.GetTempPath(), $"digitsml-bench-{Environment.ProcessId}.zip");
        using (var fitted = pipeline.Fit(train))
            ml.Model.Save(fitted, train.Schema, path);
        var model = ml.Model.Load(path, out _);
        File.Delete(path);
        var inputs = ml.Data.CreateEnumerable<DigitInput>(test, reuseRowObject: false).ToArray();

        using var engine = ml.Model.CreatePredictionEngine<DigitInput, DigitPrediction>(model);
        var ticks = new long[runs];
        for (int i = 0; i < warmup + runs; i++)
        {
            long start = Stopwatch.GetTimestamp();
            _ = engine.Predict(inputs[i % inputs.Length]);
            long elapsed = Stopwatch.GetTimestamp() - start;
            if (i >= warmup)
                ticks[i - warmup] = elapsed;
        }
        Array.Sort(ticks);
        double median = (ticks[(runs - 1) / 2] + ticks[runs / 2]) / 2.0;
        long p99 = ticks[(int)Math.Ceiling(0.99 * runs) - 1];

        // The pool: every thread predicts the whole test set once.
        var pool = new PredictionEnginePool<DigitInput, DigitPrediction>(model);
        var clock = Stopwatch.StartNew();
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, _ =>
        {
            foreach (var input in inputs)
                pool.Predict(input);
        });
        double poolPerSecond = threads * inputs.Length / clock.Elapsed.TotalSeconds;

        // Batch: Transform the test view and read every score, as Evaluate does.
        clock.Restart();
        int scored = 0;
        using (var cursor = model.Transform(test).GetRowCursor(model.GetOutputSchema(test.Schema)["Score"] is var s ? [s] : []))
        {
            var get = cursor.GetGetter<VBuffer<float>>(s);
            VBuffer<float> score = default;
            while (cursor.MoveNext())
            {
                get(ref score);
                scored++;
            }
        }
        double batchSeconds = clock.Elapsed.TotalSeconds;
        (model as IDisposable)?.Dispose();
        Console.WriteLine($"scoring={definition.Name} threads={threads} runs={runs} engine_median_us={Micro(median):F1} engine_p99_us={Micro(p99):F1} " +
            $"pool_threads={threads} pool_per_s={poolPerSecond:F0} batch_images={scored} batch_seconds={batchSeconds:F2}");
        return 0;
    }

    private static double Micro(double ticks) => ticks * 1e6 / Stopwatch.Frequency;
}
