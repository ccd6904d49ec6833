// Program.cs — the DigitsML side of build/bench.sh: one training epoch of a named recipe, or batch-1 inference
// latency, each exactly as bench/pytorch_peer.py runs it with the same options.
// Usage: DigitsML.Bench --recipe seednet|pytorchexample|m5|anetal --mnist DIR [--images N] [--threads N] [--seed 1]
//        DigitsML.Bench --latency SeedNet|PyTorchExample|M5 --mnist DIR [--runs 2000] [--warmup 5000] [--threads N] [--seed 1]
//        DigitsML.Bench --scoring SeedNet|DigitNet|... --mnist DIR [--runs 2000] [--warmup 5000] [--threads N]
//          (through the real ML.NET: a saved and loaded model's prediction engine, the engine pool, batch scoring)
//        DigitsML.Bench --records PRESET --mnist DIR [--seeds 5] [--first-seed 1] [--threads N] [--images N]
//          [--validation FRACTION] [--epochs N] [--batch N] [--max-lr R] [--arch NAME] [--smoothing S]
//          (a TrainingPresets recipe through ML.NET's Fit per seed, test accuracy; with --validation, accuracy on images
//          held out of the training set instead, and the overrides, for recipe search; see RecordsBench.cs)
//        DigitsML.Bench --robust MODEL.zip --robust-data DIR --mnist DIR [--photos-out PREFIX]
//          (a saved model's accuracy on the robustness set of bench/robust/make_robust.py; see RobustBench.cs)
//        DigitsML.Bench --numbers MODEL.zip --numbers-data DIR [--count N] [--uncertain-below 0.6] [--errors]
//          (a saved model reading the multi-digit set of bench/numbers/make_numbers.py; see NumbersBench.cs)
//        DigitsML.Bench --normalize PHOTOS_DIR --mnist DIR [--runs 20]
//          (NormalizeDigit's time per image, decoding included, per kind of image; see NormalizeBench.cs)
//        DigitsML.Bench --pretrained --mnist DIR [--runs 2000] [--warmup 5000]
//          (the shipped classifier's prediction-engine latency and the shipped reader's time per number; see PretrainedBench.cs)
// Recipes: seednet and pytorchexample: batch 64, Adadelta lr 1.0, constant rate; m5: An et al.'s batch 120 and Adam
// 0.001 on M5 without augmentation or weight average; anetal: TrainingPresets.AnEtAl whole (rotation and shift
// augmentation, weight average) for one epoch. Prints one line of key=value pairs, the same keys as the peer's:
//   recipe=… arch=… batch=… threads=… images=… seconds=… images_per_s=… loss=… accuracy=…
//   latency=… threads=… runs=… median_us=… p99_us=…
using System.Diagnostics;
using System.Globalization;
using DigitsML;
using DigitsML.Engine;
using DigitsML.Networks;
using DigitsML.Trainers;

const string Usage = """
    usage: DigitsML.Bench --recipe seednet|pytorchexample|m5|anetal --mnist DIR [--images N] [--threads N] [--seed 1]
           DigitsML.Bench --latency SeedNet|PyTorchExample|M5 --mnist DIR [--runs 2000] [--warmup 5000] [--threads N] [--seed 1]
           DigitsML.Bench --scoring SeedNet|DigitNet|... --mnist DIR [--runs 2000] [--warmup 5000] [--threads N]
           DigitsML.Bench --records PRESET --mnist DIR [--seeds 5] [--first-seed 1] [--threads N] [--images N]
                          [--validation FRACTION] [--epochs N] [--batch N] [--max-lr R] [--arch NAME] [--smoothing S]
           DigitsML.Bench --robust MODEL.zip --robust-data DIR --mnist DIR [--photos-out PREFIX]
           DigitsML.Bench --numbers MODEL.zip --numbers-data DIR [--count N] [--uncertain-below 0.6] [--errors]
           DigitsML.Bench --normalize PHOTOS_DIR --mnist DIR [--runs 20]
           DigitsML.Bench --pretrained --mnist DIR [--runs 2000] [--warmup 5000]
    """;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
string? records = null;
var recordsOptions = new Dictionary<string, string>();
string? recipe = null, normalizePhotos = null, latencyArch = null, scoringArch = null, mnist = null, robustModel = null, robustData = null, photosOut = null, numbersModel = null, numbersData = null;
int numbersCount = 0;
bool showErrors = false, pretrained = false;
float uncertainBelow = new ReadingOptions().UncertainBelow;
int threads = Environment.ProcessorCount, seed = 1, images = 0, runs = 2000, warmup = 5000;  // 5,000: .NET's tiered JIT finishes recompiling the hot path first (with 200 its background work showed as a 2 ms p99)
for (int i = 0; i < args.Length; i++)
{
    string option = args[i];
    if (option == "--errors")
    {
        showErrors = true;
        continue;
    }
    if (option == "--pretrained")
    {
        pretrained = true;
        continue;
    }
    if (option is "-h" or "--help")
    {
        Console.WriteLine(Usage);
        return 0;
    }
    if (i + 1 == args.Length)
        return Fail(option.StartsWith("--", StringComparison.Ordinal) ? $"{option} needs a value" : $"unexpected argument '{option}'");
    string value = args[++i];
    switch (option)
    {
        case "--recipe": recipe = value; break;
        case "--normalize": normalizePhotos = value; break;
        case "--latency": latencyArch = value; break;
        case "--scoring": scoringArch = value; break;
        case "--records": records = value; break;
        case "--seeds" or "--first-seed" or "--validation" or "--epochs" or "--batch" or "--max-lr" or "--arch" or "--smoothing":
            recordsOptions[option] = value;
            break;
        case "--mnist": mnist = value; break;
        case "--robust": robustModel = value; break;
        case "--robust-data": robustData = value; break;
        case "--photos-out": photosOut = value; break;
        case "--numbers": numbersModel = value; break;
        case "--numbers-data": numbersData = value; break;
        case "--count": if (!TryNumber(option, value, 0, out numbersCount)) return 2; break;
        case "--uncertain-below":
            if (!float.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out uncertainBelow) || !(uncertainBelow is >= 0 and <= 1))
                return Fail($"--uncertain-below takes a confidence in [0, 1], not '{value}'");
            break;
        case "--images": if (!TryNumber(option, value, 2, out images)) return 2; break;
        case "--threads": if (!TryNumber(option, value, 1, out threads)) return 2; break;
        case "--seed": if (!TryNumber(option, value, 0, out seed)) return 2; break;
        case "--runs": if (!TryNumber(option, value, 1, out runs)) return 2; break;
        case "--warmup": if (!TryNumber(option, value, 0, out warmup)) return 2; break;
        default: return Fail($"unknown option '{option}'");
    }
}
if (numbersModel is not null || numbersData is not null)
{
    if (numbersModel is null || numbersData is null || new[] { recipe, latencyArch, scoringArch, robustModel, records, normalizePhotos }.Any(o => o is not null))
        return Fail("--numbers MODEL.zip and --numbers-data DIR go together, without the other measurements");
    try
    {
        return NumbersBench.Run(numbersModel, numbersData, numbersCount, uncertainBelow, showErrors);
    }
    catch (Exception e) when (e is DirectoryNotFoundException or DataFormatException or InvalidDataException)
    {
        Console.Error.WriteLine($"DigitsML.Bench: {e.Message}");
        return 1;
    }
}
if (new[] { recipe, latencyArch, scoringArch, robustModel, records, normalizePhotos }.Count(o => o is not null) + (pretrained ? 1 : 0) != 1)
    return Fail("give one of --recipe, --latency, --scoring, --records, --robust, --numbers, --normalize and --pretrained");
if (records is null && recordsOptions.Count > 0)
    return Fail($"{recordsOptions.Keys.First()} goes with --records only");
if ((robustModel is null) != (robustData is null))
    return Fail("--robust MODEL.zip and --robust-data DIR go together");
if (mnist is null)
    return Fail("--mnist DIR is required");

TorchRuntime.Threads = threads;
try
{
    if (scoringArch is not null)
        return ScoringBench.Run(scoringArch, mnist, runs, warmup, threads);
    if (pretrained)
        return PretrainedBench.Run(mnist, runs, warmup, threads);
    if (records is not null)
    {
        var request = RecordsBench.Parse(records, recordsOptions, images, out string? error);
        return request is null ? Fail(error!) : RecordsBench.Run(request, mnist, threads);
    }
    if (robustModel is not null)
        return RobustBench.Run(robustModel, robustData!, mnist, photosOut);
    if (normalizePhotos is not null)
        return NormalizeBench.Run(normalizePhotos, mnist, args.Contains("--runs") ? runs : 20);
    return recipe is not null ? TrainEpoch(recipe, mnist) : Latency(latencyArch!, mnist);
}
catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or DataFormatException)
{
    Console.Error.WriteLine($"DigitsML.Bench: {e.Message}{(robustModel is null ? " (build/setup.sh fetches MNIST)" : "")}");
    return 1;
}

// One epoch of the recipe on the training images (the first `images` of them when given), timed around Train.
int TrainEpoch(string name, string folder)
{
    if (Recipe(name.ToLowerInvariant()) is not { } chosen)
        return Fail($"unknown recipe '{name}': use seednet, pytorchexample, m5 or anetal");
    var (definition, options) = chosen;
    var train = DigitDataset.LoadIdx(Path.Combine(folder, "train-images-idx3-ubyte"), Path.Combine(folder, "train-labels-idx1-ubyte"));
    if (images > train.Count)
        return Fail($"--images {images} is more than the {train.Count} training images");
    if (images > 0)
        train = train.Take(images);
    using var network = Network.Create(definition, Device.Cpu, (ulong)seed);
    var clock = Stopwatch.StartNew();
    var history = NetworkTrainer.Train(network, train, null, options); // no validation set
    double seconds = clock.Elapsed.TotalSeconds;
    var epoch = history[history.Count - 1];
    int batch = Math.Min(options.BatchSize, train.Count);
    int seen = train.Count % batch == 1 ? train.Count - 1 : train.Count; // Train drops a last batch of one example
    Console.WriteLine($"recipe={name.ToLowerInvariant()} arch={definition.Name} batch={batch} threads={TorchRuntime.Threads} " +
        $"images={seen} seconds={seconds:F3} images_per_s={seen / seconds:F1} loss={epoch.TrainLoss:F4} accuracy={epoch.TrainAccuracy:F4}");
    return 0;
}

(NetworkDefinition Definition, CnnTrainer.Options Options)? Recipe(string name)
{
    var anEtAl = TrainingPresets.AnEtAl;
    var adadelta = new CnnTrainer.Options
    {
        Epochs = 1, BatchSize = 64, Seed = seed,
        Optimizer = new AdadeltaOptimizer { LearningRate = 1.0 }, Schedule = new ConstantLR(),
    };
    // An et al.'s batch, optimizer and schedule (ExponentialLR: the base rate throughout epoch 1), nothing else.
    var m5 = new CnnTrainer.Options
    {
        Epochs = 1, BatchSize = anEtAl.BatchSize, Seed = seed,
        Optimizer = anEtAl.Optimizer, Schedule = anEtAl.Schedule,
    };
    return name switch
    {
        "seednet" => (CnnArchitectures.All["SeedNet"], adadelta),
        "pytorchexample" => (CnnArchitectures.All["PyTorchExample"], adadelta),
        "m5" => (CnnArchitectures.All["M5"], m5),
        "anetal" => (CnnArchitectures.All["M5"], m5 with
        {
            LabelSmoothing = anEtAl.LabelSmoothing,
            Augmentation = anEtAl.Augmentation,
            AverageWeights = anEtAl.AverageWeights,
            WeightAverageDecay = anEtAl.WeightAverageDecay,
        }),
        _ => null,
    };
}

// Single-image forwards of test images (evaluation mode, no gradients, softmax): `warmup` untimed, then `runs` timed.
int Latency(string arch, string folder)
{
    if (!CnnArchitectures.All.TryGetValue(arch, out var definition))
        return Fail($"unknown network '{arch}': use SeedNet, PyTorchExample or M5");
    var test = DigitDataset.LoadIdx(Path.Combine(folder, "t10k-images-idx3-ubyte"), Path.Combine(folder, "t10k-labels-idx1-ubyte"));
    int elements = test.Pixels.Length / test.Count;
    using var network = Network.Create(definition, Device.Cpu, (ulong)seed);
    var ticks = new long[runs];
    for (int i = 0; i < warmup + runs; i++)
    {
        ReadOnlySpan<float> x = test.Pixels.AsSpan((i % test.Count) * elements, elements);
        long start = Stopwatch.GetTimestamp();
        _ = network.Forward(x, 1);
        long elapsed = Stopwatch.GetTimestamp() - start;
        if (i >= warmup)
            ticks[i - warmup] = elapsed;
    }
    Array.Sort(ticks);
    double median = (ticks[(runs - 1) / 2] + ticks[runs / 2]) / 2.0;
    long p99 = ticks[(int)Math.Ceiling(0.99 * runs) - 1]; // nearest rank, as the peer
    Console.WriteLine($"latency={definition.Name} threads={TorchRuntime.Threads} runs={runs} " +
        $"median_us={Microseconds(median):F1} p99_us={Microseconds(p99):F1}");
    return 0;
}

static double Microseconds(double ticks) => ticks * 1e6 / Stopwatch.Frequency;

static bool TryNumber(string option, string value, int least, out int number)
{
    if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out number) && number >= least)
        return true;
    Console.Error.WriteLine($"DigitsML.Bench: {option} takes a whole number of at least {least}, not '{value}'");
    return false;
}

static int Fail(string message)
{
    Console.Error.WriteLine($"DigitsML.Bench: {message}");
    Console.Error.WriteLine(Usage);
    return 2;
}
