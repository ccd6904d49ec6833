// Program.cs — the QuickStart: `dotnet run --project samples/QuickStart -- [mnist-folder] [epochs]`.
// Issue 11's program on the real ML.NET: train a CNN on MNIST inside an ML.NET pipeline, evaluate with ML.NET's metrics
// and confusion matrix, save with ml.Model.Save, load in a fresh MLContext and predict with a prediction engine.
// The folder holds the four MNIST IDX files, plain or .gz; default ~/.cache/digitsml/mnist (build/setup.sh fills it).
using System.Diagnostics;
using DigitsML;
using DigitsML.Networks;
using DigitsML.Trainers;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

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
