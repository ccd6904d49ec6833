// Program.cs — the QuickStart: `dotnet run --project samples/QuickStart -- [mnist-folder] [epochs]`.
// First, no training at all: the digit classifier and the line reader shipped inside DigitsML.Scoring read a PNG of one
// MNIST test digit and a PNG of a handwritten number (made here from MNIST test digits). Then issue 11's program on the
// real ML.NET: train a CNN on MNIST inside an ML.NET pipeline, evaluate with ML.NET's metrics and confusion matrix, save
// with ml.Model.Save, load in a fresh MLContext and predict with a prediction engine (epochs 0 stops before training).
// The folder holds the four MNIST IDX files, plain or .gz; default ~/.cache/digitsml/mnist (build/setup.sh fills it).
using System.Diagnostics;
using System.Runtime.InteropServices;
using DigitsML;
using DigitsML.Networks;
using DigitsML.Trainers;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using SkiaSharp;

string folder = args.Length > 0 ? args[0]
    : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "digitsml", "mnist");
int epochs = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 2;

// A file may be stored plain or gzip-compressed, as MNIST is usually distributed.
string Find(string name) =>
    new[] { name, name + ".gz" }.Select(n => Path.Combine(folder, n)).FirstOrDefault(File.Exists)
    ?? throw new FileNotFoundException($"{name}(.gz) is not in {folder}; pass the MNIST folder as the first argument.");

string trainImagesPath = Find("train-images-idx3-ubyte"), trainLabelsPath = Find("train-labels-idx1-ubyte");
string testImagesPath = Find("t10k-images-idx3-ubyte"), testLabelsPath = Find("t10k-labels-idx1-ubyte");
string modelPath = Path.Combine(AppContext.BaseDirectory, "digits.zip");
var clock = Stopwatch.StartNew();

// 1. No training: the shipped models (PretrainedModels.Manifest says how each was trained and what it measured).
var shipped = new MLContext();
var firstTestDigits = shipped.Data.CreateEnumerable<DigitInput>(
    shipped.Data.TakeRows(shipped.Data.LoadFromIdx(testImagesPath, testLabelsPath), 4), reuseRowObject: false).ToList();
string digitPng = WritePng(Path.Combine(AppContext.BaseDirectory, "digit.png"), firstTestDigits.Take(1).ToList(), darkOnLight: false);
string numberPng = WritePng(Path.Combine(AppContext.BaseDirectory, "number.png"), firstTestDigits, darkOnLight: true);
// The classifier: DigitClassifier over the shipped zip (or ml.Model.LoadPretrainedDigits() for an ML.NET transformer).
using (var classifier = DigitClassifier.Load(PretrainedModels.Open(PretrainedModels.Digits)))
{
    DigitScores digit = classifier.PredictFile(digitPng);
    Console.WriteLine($"Shipped classifier: {Path.GetFileName(digitPng)} is a {digit.Class} (p = {digit.Probability:P1}; " +
                      $"MNIST says {firstTestDigits[0].Label})");
}
// The line reader: a NumberReader over it reads the whole number at once.
ITransformer readerModel = shipped.Model.LoadPretrainedReader();
var reader = new NumberReader(readerModel);
NumberReading number = reader.ReadFile(numberPng);
string truth = string.Concat(firstTestDigits.Select(d => d.Label));
Console.WriteLine(number.Reason is { } reason
    ? $"Shipped reader: {Path.GetFileName(numberPng)} {(number.Unreadable ? "could not be decoded" : "holds no number it reads")}: {reason}"
    : $"Shipped reader: {Path.GetFileName(numberPng)} reads {number.MarkedText} ('?' uncertain; MNIST says {truth})");
(readerModel as IDisposable)?.Dispose();
if (epochs == 0)
    return;

// 2. Training your own.
var ml = new MLContext(seed: 1);
IDataView train = ml.Data.LoadFromIdx(trainImagesPath, trainLabelsPath);   // plain or .gz
IDataView test = ml.Data.LoadFromIdx(testImagesPath, testLabelsPath);
Console.WriteLine($"Train: {train.GetRowCount():N0} images, test: {test.GetRowCount():N0}");

var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
    .Append(ml.MulticlassClassification.Trainers.Cnn(new CnnTrainer.Options
    {
        Architecture = CnnArchitectures.SeedNet,
        Epochs = epochs,
        Seed = 1,
        Progress = new Progress<EpochProgress>(p => Console.WriteLine($"  {p}")),
    }))
    .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
ITransformer model = pipeline.Fit(train);
var cnn = model is IEnumerable<ITransformer> steps ? steps.OfType<CnnTransformer>().Single() : throw new InvalidOperationException();
Console.WriteLine($"Trained {cnn.Summary.Name} ({cnn.Summary.TotalParameters:N0} parameters) on {cnn.Device} in {clock.Elapsed.TotalSeconds:F1} s");

MulticlassClassificationMetrics metrics = ml.MulticlassClassification.Evaluate(model.Transform(test), topKPredictionCount: 2);
Console.WriteLine($"MicroAccuracy    {metrics.MicroAccuracy:P2}");
Console.WriteLine($"MacroAccuracy    {metrics.MacroAccuracy:P2}");
Console.WriteLine($"LogLoss          {metrics.LogLoss:F4}");
Console.WriteLine($"Top-2 accuracy   {metrics.TopKAccuracy:P2}");
Console.WriteLine(metrics.ConfusionMatrix.GetFormattedConfusionTable());
ml.Model.Save(model, train.Schema, modelPath);
(model as IDisposable)?.Dispose();

// Later, in another process that scores only (it needs Microsoft.ML, Microsoft.ML.OnnxTransformer and DigitsML.Scoring):
var scoring = new MLContext();
ITransformer loaded = scoring.Model.Load(modelPath, out DataViewSchema inputSchema);
var engine = scoring.Model.CreatePredictionEngine<DigitInput, DigitPrediction>(loaded);
Console.WriteLine($"Saved and reloaded {modelPath}");
foreach (var image in ml.Data.CreateEnumerable<DigitInput>(ml.Data.TakeRows(test, 5), reuseRowObject: false))
{
    DigitPrediction p = engine.Predict(image);
    Console.WriteLine($"  truth {image.Label}  predicted {p.PredictedLabel}  p = {p.Score.Max():P1}");
}
(loaded as IDisposable)?.Dispose();
Console.WriteLine($"Done in {clock.Elapsed.TotalSeconds:F1} s");

// Writes MNIST digits side by side as one grey PNG: as MNIST stores them (ink bright on black), or as a page has them
// (dark ink on white paper, with a margin), each at twice its size.
static string WritePng(string path, List<DigitInput> digits, bool darkOnLight)
{
    int scale = darkOnLight ? 2 : 1, margin = darkOnLight ? 24 : 0, size = 28 * scale;
    using var bitmap = new SKBitmap(new SKImageInfo(2 * margin + digits.Count * size, 2 * margin + size, SKColorType.Gray8, SKAlphaType.Opaque));
    using (var canvas = new SKCanvas(bitmap))
    {
        canvas.Clear(darkOnLight ? SKColors.White : SKColors.Black);
        for (int i = 0; i < digits.Count; i++)
        {
            byte[] pixels = [.. digits[i].Features.Select(v => (byte)Math.Round(255 * (darkOnLight ? 1 - v : v)))];
            using var digit = new SKBitmap(new SKImageInfo(28, 28, SKColorType.Gray8, SKAlphaType.Opaque));
            Marshal.Copy(pixels, 0, digit.GetPixels(), pixels.Length);
            canvas.DrawBitmap(digit, new SKRect(margin + i * size, margin, margin + (i + 1) * size, margin + size));
        }
    }
    using var png = bitmap.Encode(SKEncodedImageFormat.Png, 100);
    File.WriteAllBytes(path, png.ToArray());
    return path;
}
