// NumberReaderTrainer.cs — trains the line reader with CTC loss in TorchSharp on numbers made on the fly from MNIST
// training digits, chooses on a validation set made from held-out training digits, and saves it as an ML.NET model zip.
using System.Diagnostics;
using System.Text.Json;
using DigitsML.Engine;
using DigitsML.Reading;
using DigitsML.Scoring;
using Microsoft.ML;
using TorchSharp;
using static TorchSharp.torch;

namespace DigitsML;

/// <summary>What <see cref="NumberReaderTrainer.Train"/> reports after each stretch of steps.</summary>
/// <param name="Step">Steps done.</param>
/// <param name="Steps">Steps in all.</param>
/// <param name="Loss">Mean CTC loss over the stretch.</param>
/// <param name="ValidationAccuracy">Whole numbers read right on the validation set, when it was measured at this step.</param>
/// <param name="ValidationDigitAccuracy">1 − edit distance / digits written on the validation set, when measured.</param>
/// <param name="Elapsed">Time since training began (this run, resumed or not).</param>
public sealed record NumberReaderProgress(int Step, int Steps, double Loss, double? ValidationAccuracy, double? ValidationDigitAccuracy, TimeSpan Elapsed);

/// <summary>Trains a line reader (<see cref="LineReader"/>): a convolutional network over the whole number's strip with
/// a CTC head (<see cref="FrameDecoder"/>), on numbers of 1 to 12 digits made on the fly from MNIST training digits
/// 0 to <see cref="Options.ValidationFrom"/> − 1 (gaps to heavy overlap, slant, stroke width, ruled and graph paper,
/// margins, printed boxes and form lines, light, blur, noise), validated on numbers made the same way from the
/// training digits from <see cref="Options.ValidationFrom"/> on, never from MNIST's test digits. The state with the best
/// validation accuracy is kept and saved. Checkpoints after each validation let an interrupted run resume.</summary>
public static class NumberReaderTrainer
{
    /// <summary>The settings of a run; the defaults are the recipe of the shipped reader.</summary>
    public sealed record Options
    {
        /// <summary>Optimizer steps; default 6,000.</summary>
        public int Steps { get; init; } = 6000;

        /// <summary>Numbers per step; default 32.</summary>
        public int BatchSize { get; init; } = 32;

        /// <summary>The peak learning rate of AdamW (one cycle: warm-up over the first 5 % of steps, cosine decay to 0);
        /// default 0.002.</summary>
        public double LearningRate { get; init; } = 0.002;

        /// <summary>AdamW's weight decay; default 0.0001.</summary>
        public double WeightDecay { get; init; } = 1e-4;

        /// <summary>Fixes the initial weights and every number made; default 1.</summary>
        public int Seed { get; init; } = 1;

        /// <summary>The first training digit kept for validation; default 55,000 (the last 5,000 of MNIST's training set).</summary>
        public int ValidationFrom { get; init; } = 55_000;

        /// <summary>Validation numbers; default 1,000.</summary>
        public int ValidationNumbers { get; init; } = 1000;

        /// <summary>Steps between validations (and checkpoints); default 500.</summary>
        public int ValidateEvery { get; init; } = 500;

        /// <summary>libtorch's CPU threads; default 0, every core.</summary>
        public int Threads { get; init; }

        internal void Validate()
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(Steps, 1, nameof(Steps));
            ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1, nameof(BatchSize));
            if (!(LearningRate > 0 && LearningRate < 1))
                throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "The learning rate must be in (0, 1).");
            if (!(WeightDecay >= 0 && WeightDecay < 1))
                throw new ArgumentOutOfRangeException(nameof(WeightDecay), WeightDecay, "The weight decay must be in [0, 1).");
            ArgumentOutOfRangeException.ThrowIfLessThan(ValidationFrom, 1000, nameof(ValidationFrom));
            ArgumentOutOfRangeException.ThrowIfLessThan(ValidationNumbers, 1, nameof(ValidationNumbers));
            ArgumentOutOfRangeException.ThrowIfLessThan(ValidateEvery, 1, nameof(ValidateEvery));
            ArgumentOutOfRangeException.ThrowIfNegative(Threads, nameof(Threads));
        }
    }

    /// <summary>Trains a reader and saves it as an ML.NET model zip that <see cref="LineReader"/>, <see cref="NumberReader"/>
    /// and <c>digits read</c> load.</summary>
    /// <param name="trainImages">MNIST's training images (IDX, plain or .gz).</param>
    /// <param name="trainLabels">Their labels.</param>
    /// <param name="outputPath">The model zip to write (atomically, at the end).</param>
    /// <param name="options">The recipe; default <see cref="Options"/>' defaults.</param>
    /// <param name="checkpointPath">Where to keep the checkpoint; when it exists and matches the options, training
    /// resumes from it (AdamW's moments start again). Default: none.</param>
    /// <param name="progress">Told after each validation.</param>
    /// <param name="cancellationToken">Stops between steps; the last checkpoint stays.</param>
    /// <returns>The best validation figures and the time taken.</returns>
    /// <exception cref="DataFormatException">An IDX file is not valid or they disagree.</exception>
    /// <exception cref="ArgumentException">The training set is smaller than the validation split asks.</exception>
    public static NumberReaderProgress Train(string trainImages, string trainLabels, string outputPath, Options? options = null,
        string? checkpointPath = null, IProgress<NumberReaderProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputPath);
        options ??= new Options();
        options.Validate();
        var mnist = DigitDataset.LoadIdx(trainImages, trainLabels);
        if (mnist.Count < options.ValidationFrom + 100)
            throw new ArgumentException($"{trainImages} holds {mnist.Count:N0} digits; {options.ValidationFrom + 100:N0} are needed to keep digits from {options.ValidationFrom:N0} on for validation.", nameof(trainImages));
        var training = new NumberSynthesizer(mnist, 0, options.ValidationFrom);
        var held = new NumberSynthesizer(mnist, options.ValidationFrom, mnist.Count - options.ValidationFrom);
        var validation = MakeSet(held, options.ValidationNumbers, new Random(options.Seed * 7919 + 17));

        TorchRuntime.EnsureInitialized();
        if (options.Threads > 0)
            TorchRuntime.Threads = options.Threads;
        random.manual_seed(options.Seed);
        using var dropout = new Generator((ulong)options.Seed);
        using var network = new LineReaderNetwork(dropout);
        var parameters = network.parameters().ToList();
        using var optimizer = optim.AdamW(parameters, options.LearningRate, weight_decay: options.WeightDecay);
        int step = checkpointPath is not null ? Resume(network, checkpointPath, options) : 0;
        var best = new NumberReaderProgress(step, options.Steps, double.NaN, null, null, TimeSpan.Zero);
        Dictionary<string, Tensor>? bestState = null;
        var clock = Stopwatch.StartNew();
        double lossSum = 0;
        int lossCount = 0;
        using (var batches = new BatchQueue(training, options, step, cancellationToken))
        {
            while (step < options.Steps)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var batch = batches.Next();
                double lr = Rate(options, step);
                foreach (var group in optimizer.ParamGroups)
                    group.LearningRate = lr;
                network.train();
                using (var scope = NewDisposeScope())
                {
                    optimizer.zero_grad();
                    var loss = Loss(network, batch);
                    loss.backward();
                    nn.utils.clip_grad_norm_(parameters, 5.0);
                    optimizer.step();
                    lossSum += loss.item<float>();
                    lossCount++;
                }
                step++;
                if (step % options.ValidateEvery == 0 || step == options.Steps)
                {
                    var (whole, digits) = Measure(network, validation);
                    var report = new NumberReaderProgress(step, options.Steps, lossSum / Math.Max(1, lossCount), whole, digits, clock.Elapsed);
                    lossSum = 0;
                    lossCount = 0;
                    if (bestState is null || whole >= best.ValidationAccuracy)
                    {
                        best = report;
                        bestState = Snapshot(network, bestState);
                    }
                    if (checkpointPath is not null)
                        SaveCheckpoint(network, checkpointPath, options, step);
                    progress?.Report(report);
                }
            }
        }
        if (bestState is not null)
            using (no_grad())
                foreach (var (name, tensor) in network.state_dict())
                    tensor.copy_(bestState[name]);
        byte[] onnx = network.ToOnnx(LineReader.InputColumn, LineReader.OutputColumn,
            $"DigitsML line reader: {best.ValidationAccuracy:P2} of {options.ValidationNumbers} held-out validation numbers whole, step {best.Step} of {options.Steps}");
        LineReader.SaveOnnx(onnx, outputPath);
        foreach (var t in bestState?.Values ?? Enumerable.Empty<Tensor>())
            t.Dispose();
        return best with { Elapsed = clock.Elapsed };
    }

    /// <summary>The one-cycle schedule: linear warm-up over 5 % of the steps, then cosine decay to zero.</summary>
    private static double Rate(Options options, int step)
    {
        double warm = Math.Max(1, 0.05 * options.Steps);
        return step < warm ? options.LearningRate * (step + 1) / warm
            : options.LearningRate * 0.5 * (1 + Math.Cos(Math.PI * (step - warm) / Math.Max(1, options.Steps - warm)));
    }

    private static List<(NumberLine Line, string Text)> MakeSet(NumberSynthesizer synthesizer, int count, Random rng)
    {
        var set = new List<(NumberLine, string)>(count);
        while (set.Count < count)
            if (synthesizer.Make(rng) is { } example)
                set.Add(example);
        return set;
    }

    /// <summary>A batch: strips padded with paper to the widest (a multiple of the frame width), targets concatenated.</summary>
    internal sealed record Batch(float[] Pixels, int Count, int Width, long[] Targets, long[] InputLengths, long[] TargetLengths);

    internal static Batch MakeBatch(IReadOnlyList<(NumberLine Line, string Text)> examples)
    {
        int width = examples.Max(e => e.Line.Width);
        width = (width + FrameDecoder.FrameWidth - 1) / FrameDecoder.FrameWidth * FrameDecoder.FrameWidth;
        var pixels = new float[examples.Count * NumberLine.Height * width];
        var targets = new List<long>();
        var inputLengths = new long[examples.Count];
        var targetLengths = new long[examples.Count];
        for (int n = 0; n < examples.Count; n++)
        {
            var (line, text) = examples[n];
            for (int y = 0; y < NumberLine.Height; y++)
                line.Pixels.AsSpan(y * line.Width, line.Width).CopyTo(pixels.AsSpan((n * NumberLine.Height + y) * width, line.Width));
            inputLengths[n] = line.Width / FrameDecoder.FrameWidth;
            targetLengths[n] = text.Length;
            targets.AddRange(text.Select(c => (long)(c - '0' + 1)));
        }
        return new Batch(pixels, examples.Count, width, [.. targets], inputLengths, targetLengths);
    }

    /// <summary>Frames a strip must have for CTC to write <paramref name="text"/>: one per digit, one more between repeats.</summary>
    internal static int FramesNeeded(string text) => text.Length + Enumerable.Range(1, Math.Max(0, text.Length - 1)).Count(i => text[i] == text[i - 1]);

    private static Tensor Loss(LineReaderNetwork network, Batch batch)
    {
        var x = tensor(batch.Pixels, [batch.Count, 1, NumberLine.Height, batch.Width]);
        var scores = network.forward(x).squeeze(2);                 // (N, C, T)
        var logProbs = scores.permute(2, 0, 1).log_softmax(2);      // (T, N, C)
        return nn.functional.ctc_loss(logProbs, tensor(batch.Targets), tensor(batch.InputLengths), tensor(batch.TargetLengths),
            blank: FrameDecoder.Blank, reduction: nn.Reduction.Mean, zero_infinity: true);
    }

    /// <summary>Whole numbers and digits read right on <paramref name="set"/> (evaluation mode, greedy decoding).</summary>
    private static (double Whole, double Digits) Measure(LineReaderNetwork network, List<(NumberLine Line, string Text)> set)
    {
        network.eval();
        int right = 0, digitErrors = 0, digitsWritten = 0;
        using var noGrad = no_grad();
        foreach (var chunk in set.OrderBy(e => e.Line.Width).Chunk(32))
        {
            using var scope = NewDisposeScope();
            var batch = MakeBatch(chunk);
            var x = tensor(batch.Pixels, [batch.Count, 1, NumberLine.Height, batch.Width]);
            var probabilities = network.forward(x).squeeze(2).softmax(1).permute(0, 2, 1).contiguous();  // (N, T, C)
            var all = probabilities.data<float>().ToArray();
            long frames = probabilities.shape[1];
            for (int n = 0; n < chunk.Length; n++)
            {
                var own = all.AsSpan((int)(n * frames * FrameDecoder.Classes), (int)(batch.InputLengths[n] * FrameDecoder.Classes));
                string read = string.Concat(FrameDecoder.Greedy(own).Select(d => (char)('0' + d.Value)));
                string written = chunk[n].Text;
                right += read == written ? 1 : 0;
                digitErrors += Math.Min(written.Length, NumberReading.EditDistance(written, read));
                digitsWritten += written.Length;
            }
        }
        network.train();
        return ((double)right / set.Count, 1 - (double)digitErrors / digitsWritten);
    }

    private static Dictionary<string, Tensor> Snapshot(LineReaderNetwork network, Dictionary<string, Tensor>? previous)
    {
        foreach (var t in previous?.Values ?? Enumerable.Empty<Tensor>())
            t.Dispose();
        return network.state_dict().ToDictionary(p => p.Key, p => p.Value.detach().clone());
    }

    private sealed record CheckpointHeader(int Version, int Step, string Recipe);

    private static string RecipeOf(Options options) => JsonSerializer.Serialize(options with { Threads = 0 });

    private static void SaveCheckpoint(LineReaderNetwork network, string path, Options options, int step)
    {
        string weights = path + ".weights";
        network.save(weights + ".tmp");
        File.Move(weights + ".tmp", weights, overwrite: true);
        AtomicFile.Write(path, stream => JsonSerializer.Serialize(stream, new CheckpointHeader(1, step, RecipeOf(options))));
    }

    private static int Resume(LineReaderNetwork network, string path, Options options)
    {
        if (!File.Exists(path) || !File.Exists(path + ".weights"))
            return 0;
        CheckpointHeader? header;
        try
        {
            using var stream = File.OpenRead(path);
            header = JsonSerializer.Deserialize<CheckpointHeader>(stream);
        }
        catch (JsonException e)
        {
            throw new DataFormatException(path, $"not a line reader checkpoint: {e.Message}", e);
        }
        if (header is null || header.Version != 1)
            throw new DataFormatException(path, "not a line reader checkpoint of version 1");
        if (header.Recipe != RecipeOf(options))
            throw new ArgumentException($"The checkpoint {path} was made with another recipe ({header.Recipe}); delete it or train with that recipe.", nameof(options));
        network.load(path + ".weights");
        return header.Step;
    }

    /// <summary>Makes batches on a thread of its own while the network trains; the numbers of step s come from a
    /// generator seeded with (seed, s), so a resumed run draws what an uninterrupted one would have.</summary>
    private sealed class BatchQueue : IDisposable
    {
        private readonly System.Collections.Concurrent.BlockingCollection<Batch> queue = new(boundedCapacity: 4);
        private readonly CancellationTokenSource stop;
        private readonly Task producer;

        public BatchQueue(NumberSynthesizer synthesizer, Options options, int firstStep, CancellationToken cancellationToken)
        {
            stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            producer = Task.Factory.StartNew(() =>
            {
                try
                {
                    // Four batches are made at a time from one generator and cut from the numbers sorted by width, so a
                    // batch pads little; the generator of each group is seeded with (seed, its first step).
                    const int Group = 4;
                    for (int s = firstStep - firstStep % Group; s < options.Steps && !stop.IsCancellationRequested; s += Group)
                    {
                        var rng = new Random(Seeds.Augmentation(options.Seed, s));
                        var examples = new List<(NumberLine Line, string Text)>(Group * options.BatchSize);
                        while (examples.Count < Group * options.BatchSize)
                            if (synthesizer.Make(rng) is { } e && e.Line.Width / FrameDecoder.FrameWidth >= FramesNeeded(e.Text))
                                examples.Add(e);
                        var sorted = examples.OrderBy(e => e.Line.Width).Chunk(options.BatchSize).ToList();
                        var order = Enumerable.Range(0, Group).OrderBy(_ => rng.Next()).ToList();
                        for (int b = 0; b < Group; b++)
                            if (s + b >= firstStep && s + b < options.Steps)
                                queue.Add(MakeBatch(sorted[order[b]]), stop.Token);
                    }
                }
                catch (OperationCanceledException)
                {
                }
                finally
                {
                    queue.CompleteAdding();
                }
            }, TaskCreationOptions.LongRunning);
        }

        public Batch Next() => queue.Take();

        public void Dispose()
        {
            stop.Cancel();
            try
            {
                producer.Wait();
            }
            catch (AggregateException)
            {
            }
            stop.Dispose();
            queue.Dispose();
        }
    }
}
