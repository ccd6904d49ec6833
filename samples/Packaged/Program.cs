// Program.cs — issue 11's programs against the packed DigitsML packages:
//   build/pack.sh --sample [mnist-folder] [epochs (1)] [photos-folder] [training images (all)]
// 1. Train a CNN on MNIST inside an ML.NET pipeline, evaluate, save, load in a fresh MLContext and predict (as QuickStart).
// 2. Photos of digits on paper (a folder with one sub-folder per digit): LoadImages + NormalizeDigit, scored by the model.
// 3. A soft voting ensemble of three CNNs in the same pipeline shape, with each member's own metrics (trained on at
//    most the first 10,000 training images, to keep the sample short).
// 4. `score MODEL.zip [mnist-folder]`: only loads a saved model with ML.NET and scores the 10,000 test images, printing
//    the accuracy and a SHA-256 of every score (the packaging tests load each ML.NET version's model under the other).
// The MNIST folder holds the four IDX files, plain or .gz; default ~/.cache/digitsml/mnist (build/setup.sh fills it).
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using DigitsML;
using DigitsML.Networks;
using DigitsML.Trainers;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

bool scoreOnly = args.Length > 1 && args[0] == "score";
string folder = scoreOnly ? (args.Length > 2 ? args[2] : DefaultFolder())
    : args.Length > 0 ? args[0] : DefaultFolder();
static string DefaultFolder() =>
    Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "digitsml", "mnist");
int epochs = !scoreOnly && args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1;
string? photosFolder = !scoreOnly && args.Length > 2 && args[2].Length > 0 ? args[2] : null;
int trainCount = !scoreOnly && args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 0;

// A file may be stored plain or gzip-compressed, as MNIST is usually distributed.
string Find(string name) =>
    new[] { name, name + ".gz" }.Select(n => Path.Combine(folder, n)).FirstOrDefault(File.Exists)
    ?? throw new FileNotFoundException($"{name}(.gz) is not in {folder}; pass the MNIST folder as the first argument.");

string trainImagesPath = Find("train-images-idx3-ubyte"), trainLabelsPath = Find("train-labels-idx1-ubyte");
string testImagesPath = Find("t10k-images-idx3-ubyte"), testLabelsPath = Find("t10k-labels-idx1-ubyte");
string modelPath = Path.Combine(AppContext.BaseDirectory, "digits.zip");

// --- 4. score a saved model only ------------------------------------------------------------------------------------
if (scoreOnly)
{
    var context = new MLContext();
    ITransformer saved = context.Model.Load(args[1], out _);
    IDataView scoredTest = saved.Transform(context.Data.LoadFromIdx(testImagesPath, testLabelsPath));
    var savedMetrics = context.MulticlassClassification.Evaluate(scoredTest);
    using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    foreach (var row in context.Data.CreateEnumerable<ScoreRow>(scoredTest, reuseRowObject: true))
        hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(row.Score.AsSpan()));
    string mlnet = typeof(MLContext).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+')[0];
    Console.WriteLine($"Scored {args[1]} on Microsoft.ML {mlnet}: " +
                      $"micro-accuracy {savedMetrics.MicroAccuracy:P2}, scores SHA-256 {Convert.ToHexString(hash.GetHashAndReset())}");
    (saved as IDisposable)?.Dispose();
    return;
}
var clock = Stopwatch.StartNew();

// --- 1. train, evaluate, save ---------------------------------------------------------------------------------------
var ml = new MLContext(seed: 1);
IDataView train = ml.Data.LoadFromIdx(trainImagesPath, trainLabelsPath);   // plain or .gz
IDataView test = ml.Data.LoadFromIdx(testImagesPath, testLabelsPath);
long trainRows = train.GetRowCount() ?? 0;
if (trainCount > 0 && trainCount < trainRows)
    (train, trainRows) = (ml.Data.TakeRows(train, trainCount), trainCount);   // a shorter run (the packaging test's)
var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
    .Append(ml.MulticlassClassification.Trainers.Cnn(new CnnTrainer.Options { Architecture = CnnArchitectures.SeedNet, Epochs = epochs, Seed = 1 }))
    .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
ITransformer model = pipeline.Fit(train);
MulticlassClassificationMetrics metrics = ml.MulticlassClassification.Evaluate(model.Transform(test));
Console.WriteLine($"SeedNet, {epochs} epoch(s) on {trainRows:N0} images: test micro-accuracy {metrics.MicroAccuracy:P2}, log-loss {metrics.LogLoss:F4} ({clock.Elapsed.TotalSeconds:F1} s)");
Console.WriteLine(metrics.ConfusionMatrix.GetFormattedConfusionTable());
ml.Model.Save(model, train.Schema, modelPath);
(model as IDisposable)?.Dispose();

// --- later, in another process that scores only ---------------------------------------------------------------------
var scoring = new MLContext();
ITransformer loaded = scoring.Model.Load(modelPath, out DataViewSchema inputSchema);
var engine = scoring.Model.CreatePredictionEngine<DigitInput, DigitPrediction>(loaded);
Console.WriteLine($"Reloaded {modelPath} (input columns: {string.Join(", ", inputSchema.Select(c => c.Name))})");
foreach (var image in ml.Data.CreateEnumerable<DigitInput>(ml.Data.TakeRows(test, 5), reuseRowObject: false))
{
    DigitPrediction p = engine.Predict(image);
    Console.WriteLine($"  truth {image.Label}  predicted {p.PredictedLabel}  p = {p.Score.Max():P1}");
}

// --- 2. photos of digits on paper -----------------------------------------------------------------------------------
if (photosFolder is not null)
{
    IDataView photos = scoring.Data.LoadFromImageFolder(photosFolder);    // one sub-folder per digit
    var read = scoring.Transforms.LoadImages("Image", imageFolder: null, inputColumnName: "ImagePath")
        .Append(scoring.Transforms.NormalizeDigit("Features", "Image"));   // what MNIST's makers did to each digit
    IDataView scored = loaded.Transform(read.Fit(photos).Transform(photos));
    var photoMetrics = scoring.MulticlassClassification.Evaluate(scored);
    Console.WriteLine($"Photos in {photosFolder}: {photos.GetRowCount()} images, micro-accuracy {photoMetrics.MicroAccuracy:P2}");
    foreach (var row in scoring.Data.CreateEnumerable<PhotoPrediction>(scored, reuseRowObject: false).Take(10))
        Console.WriteLine($"  {Path.GetFileName(Path.GetDirectoryName(row.ImagePath))}/{Path.GetFileName(row.ImagePath)}: predicted {row.PredictedLabel}");
}
engine.Dispose();
(loaded as IDisposable)?.Dispose();

// --- 3. a voting ensemble -------------------------------------------------------------------------------------------
CnnTrainer Member(NetworkDefinition architecture, int seed) =>
    ml.MulticlassClassification.Trainers.Cnn(new CnnTrainer.Options { Architecture = architecture, Epochs = epochs, Seed = seed });
var ensemblePipeline = ml.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
    .Append(ml.MulticlassClassification.Trainers.VotingEnsemble(
        new[] { Member(CnnArchitectures.SeedNet, 1), Member(CnnArchitectures.SeedNet, 2), Member(CnnArchitectures.DigitNet, 3) }, VotingKind.Soft))
    .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
IDataView ensembleTrain = ml.Data.TakeRows(train, 10_000);
long ensembleCount = Math.Min(trainRows, 10_000);
using (var ensembleModel = ensemblePipeline.Fit(ensembleTrain))
{
    var ensembleMetrics = ml.MulticlassClassification.EvaluateVotingEnsemble(ensembleModel, test);
    Console.WriteLine($"Soft vote of SeedNet (seed 1), SeedNet (seed 2), DigitNet (seed 3), {epochs} epoch(s) on {ensembleCount:N0} images:");
    Console.WriteLine(ensembleMetrics);
    ml.Model.Save(ensembleModel, ensembleTrain.Schema, Path.Combine(AppContext.BaseDirectory, "ensemble.zip"));
}
Console.WriteLine($"Done in {clock.Elapsed.TotalSeconds:F1} s");

/// <summary>The probabilities of a scored test image (the score-only mode hashes them).</summary>
internal sealed class ScoreRow
{
    public float[] Score { get; set; } = [];
}

/// <summary>The columns of a scored photo this program prints.</summary>
internal sealed class PhotoPrediction
{
    public string ImagePath { get; set; } = "";
    public float PredictedLabel { get; set; }
}
