// PretrainedBench.cs — the `pretrained` part of build/bench.sh: the shipped models as an app gets them. The classifier of
// ml.Model.LoadPretrainedDigits through an ML.NET prediction engine (issue 23's goal: p50 <= 150 µs per digit on one
// core), beside the same ONNX graph with one ONNX Runtime thread (through ML.NET, and bare) to show where the time goes;
// the line reader of ml.Model.LoadPretrainedReader reading numbers of MNIST test digits on paper, in ms per number.
using System.Diagnostics;
using System.Globalization;
using DigitsML;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.Transforms.Onnx;
using SkiaSharp;

/// <summary>The <c>--pretrained</c> measurement of <c>build/bench.sh</c>.</summary>
internal static class PretrainedBench
{
    private const int ReaderNumbers = 100, ReaderDigits = 6;

    /// <summary>What an engine over the graph alone (no steps around it) writes.</summary>
    private sealed class ScoreRow
    {
        public float[] Score { get; set; } = [];
    }

    /// <summary>Prints one line of key=value pairs:
    /// <c>pretrained=digits members=… threads=… runs=… engine_median_us=… engine_p99_us=…</c> (the shipped model as loaded,
    /// ONNX Runtime's default threads), <c>onnx1_*</c> (its graph through ApplyOnnxModel with one intra-op and one inter-op
    /// thread), <c>onnxdefault_*</c> (the same with ONNX Runtime's defaults), <c>ort1_*</c> and <c>ortdefault_*</c>
    /// (InferenceSession.Run on the graph, no ML.NET), <c>member_us</c> (ort1 median / members), <c>accuracy</c> (of the
    /// shipped engine over the timed digits), then <c>reader_numbers=… reader_digits=… reader_right=… reader_median_ms=…
    /// reader_p90_ms=…</c>.</summary>
    internal static int Run(string mnist, int runs, int warmup, int threads)
    {
        var ml = new MLContext(seed: 1);
        var test = ml.Data.LoadFromIdx(Path.Combine(mnist, "t10k-images-idx3-ubyte"), Path.Combine(mnist, "t10k-labels-idx1-ubyte"));
        var inputs = ml.Data.CreateEnumerable<DigitInput>(test, reuseRowObject: false).ToArray();

        // The graph ML.NET scores with, from the shipped zip, and how many members vote in it.
        string zip = Path.Combine(Path.GetTempPath(), $"digitsml-pretrained-{Environment.ProcessId}.zip");
        string onnxFile = Path.ChangeExtension(zip, ".onnx");
        byte[] graph;
        using (var shipped = PretrainedModels.Open(PretrainedModels.Digits))
        using (var file = File.Create(zip))
            shipped.CopyTo(file);
        try
        {
            graph = TrainingMetadata.ReadOnnxFromModelZip(zip);
        }
        finally
        {
            File.Delete(zip);
        }
        File.WriteAllBytes(onnxFile, graph);
        var metadata = TrainingMetadata.FromOnnx(graph);
        int members = Math.Max(1, Math.Max(metadata.Histories.Count, metadata.Networks.Count));

        var results = new List<string>();
        try
        {
            // The shipped model, exactly as an app loads it.
            var model = ml.Model.LoadPretrainedDigits();
            int right = 0, timed = 0;
            using (var engine = ml.Model.CreatePredictionEngine<DigitInput, DigitPrediction>(model))
            {
                results.Add(Line("engine", Time(runs, warmup, i =>
                {
                    var input = inputs[i % inputs.Length];
                    var prediction = engine.Predict(input);
                    if (i >= warmup)
                    {
                        timed++;
                        right += prediction.PredictedLabel == input.Label ? 1 : 0;
                    }
                })));
            }
            (model as IDisposable)?.Dispose();

            // The graph alone through ML.NET: one ONNX Runtime thread, then its defaults.
            foreach (var (name, intra) in new[] { ("onnx1", (int?)1), ("onnxdefault", null) })
            {
                using var session = new InferenceSession(graph);
                string inputName = session.InputMetadata.Keys.Single();
                session.Dispose();
                IEstimator<ITransformer> pipeline = new EstimatorChain<ITransformer>();
                if (inputName != "Features")
                    pipeline = ml.Transforms.CopyColumns(inputName, "Features");
                pipeline = pipeline.Append(ml.Transforms.ApplyOnnxModel(new OnnxOptions
                {
                    ModelFile = onnxFile, InputColumns = [inputName], OutputColumns = ["Score"],
                    IntraOpNumThreads = intra, InterOpNumThreads = intra,
                }));
                var alone = pipeline.Fit(test);
                using (var engine = ml.Model.CreatePredictionEngine<DigitInput, ScoreRow>(alone))
                    results.Add(Line(name, Time(runs, warmup, i => engine.Predict(inputs[i % inputs.Length]))));
                (alone as IDisposable)?.Dispose();
            }

            // The graph alone in ONNX Runtime, no ML.NET: the lower bound of a prediction.
            double ort1 = 0;
            foreach (var (name, intra) in new[] { ("ort1", 1), ("ortdefault", 0) })
            {
                using var options = new SessionOptions { IntraOpNumThreads = intra, InterOpNumThreads = intra, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL };
                using var session = new InferenceSession(graph, options);
                var (inputName, meta) = session.InputMetadata.Single();
                long[] shape = [.. meta.Dimensions.Select(d => d < 0 ? 1L : d)];
                var buffer = new float[shape.Aggregate(1L, (a, b) => a * b)];
                using var value = OrtValue.CreateTensorValueFromMemory(buffer, shape);
                using var runOptions = new RunOptions();
                string[] inputNames = [inputName], outputNames = [session.OutputMetadata.Keys.First()];
                OrtValue[] values = [value];
                var ticks = Time(runs, warmup, i =>
                {
                    inputs[i % inputs.Length].Features.CopyTo(buffer, 0);
                    using var outputs = session.Run(runOptions, inputNames, values, outputNames);
                });
                results.Add(Line(name, ticks));
                if (intra == 1)
                    ort1 = Median(ticks);
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"pretrained=digits members={members} threads={threads} runs={runs} {string.Join(' ', results)} " +
                $"member_us={Micro(ort1) / members:F1} accuracy={(double)right / timed:F4}"));
        }
        finally
        {
            File.Delete(onnxFile);
        }

        Console.WriteLine(Reader(mnist));
        return 0;
    }

    /// <summary>The shipped line reader over <see cref="ReaderNumbers"/> numbers of <see cref="ReaderDigits"/> MNIST test
    /// digits each, drawn dark on light paper and encoded as PNG (decoding is part of the time), after 5 untimed reads.</summary>
    private static string Reader(string mnist)
    {
        var (count, _, _, pixels) = DigitsML.Data.IdxFile.ReadImages(Path.Combine(mnist, "t10k-images-idx3-ubyte"));
        byte[] labels = DigitsML.Data.IdxFile.ReadLabels(Path.Combine(mnist, "t10k-labels-idx1-ubyte"));
        var rng = new Random(1);
        var numbers = Enumerable.Range(0, ReaderNumbers).Select(_ =>
        {
            int[] digits = [.. Enumerable.Range(0, ReaderDigits).Select(_ => rng.Next(count))];
            return (Png: NumberPng(pixels, digits), Text: string.Concat(digits.Select(d => labels[d].ToString(CultureInfo.InvariantCulture))));
        }).ToList();

        var ml = new MLContext(seed: 1);
        var model = ml.Model.LoadPretrainedReader();
        var reader = new NumberReader(model);
        for (int i = 0; i < 5; i++)
            reader.Read(numbers[i].Png);
        var times = new List<double>(numbers.Count);
        int right = 0;
        foreach (var (png, text) in numbers)
        {
            long start = Stopwatch.GetTimestamp();
            var reading = reader.Read(png);
            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            right += reading.Text == text ? 1 : 0;
        }
        (model as IDisposable)?.Dispose();
        times.Sort();
        return string.Create(CultureInfo.InvariantCulture,
            $"reader_numbers={numbers.Count} reader_digits={ReaderDigits} reader_right={right} " +
            $"reader_median_ms={times[times.Count / 2]:F2} reader_p90_ms={times[(int)(times.Count * 0.9)]:F2}");
    }

    /// <summary>MNIST test digits <paramref name="digits"/> side by side, each 28 × 28 frame doubled, dark ink (0.08) on
    /// paper (0.95), 16 pixels of margin, as an 8-bit grey PNG.</summary>
    private static byte[] NumberPng(byte[] mnistPixels, int[] digits)
    {
        const int Scale = 2, Margin = 16, Frame = 28 * Scale;
        int width = digits.Length * Frame + 2 * Margin, height = Frame + 2 * Margin;
        var grey = new byte[width * height];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                int fx = x - Margin, fy = y - Margin;
                float ink = fx >= 0 && fy >= 0 && fx < digits.Length * Frame && fy < Frame
                    ? mnistPixels[digits[fx / Frame] * 784 + fy / Scale * 28 + fx % Frame / Scale] / 255f : 0;
                grey[y * width + x] = (byte)Math.Round((0.95f * (1 - ink) + 0.08f * ink) * 255);
            }
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque));
        System.Runtime.InteropServices.Marshal.Copy(grey, 0, bitmap.GetPixels(), grey.Length);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>Calls <paramref name="predict"/> with 0 … warmup + runs − 1 and gives the ticks of the last
    /// <paramref name="runs"/>, sorted.</summary>
    private static long[] Time(int runs, int warmup, Action<int> predict)
    {
        var ticks = new long[runs];
        for (int i = 0; i < warmup + runs; i++)
        {
            long start = Stopwatch.GetTimestamp();
            predict(i);
            long elapsed = Stopwatch.GetTimestamp() - start;
            if (i >= warmup)
                ticks[i - warmup] = elapsed;
        }
        Array.Sort(ticks);
        return ticks;
    }

    private static double Median(long[] sorted) => (sorted[(sorted.Length - 1) / 2] + sorted[sorted.Length / 2]) / 2.0;

    /// <summary><c>NAME_median_us=… NAME_p99_us=…</c> (p99 by nearest rank, as ScoringBench).</summary>
    private static string Line(string name, long[] sorted) => string.Create(CultureInfo.InvariantCulture,
        $"{name}_median_us={Micro(Median(sorted)):F1} {name}_p99_us={Micro(sorted[(int)Math.Ceiling(0.99 * sorted.Length) - 1]):F1}");

    private static double Micro(double ticks) => ticks * 1e6 / Stopwatch.Frequency;
}
