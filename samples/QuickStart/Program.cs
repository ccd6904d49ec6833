// Program.cs — the QuickStart: `dotnet run --project samples/QuickStart -- [mnist-folder] [epochs]`.
// The folder holds the four MNIST IDX files, plain or .gz; default ~/.cache/digitsml/mnist (build/setup.sh fills it).
// Epochs default to 2, as in issue 3's program.
using System.Diagnostics;
using DigitsML;
using DigitsML.Trainers;
using DigitsML.Transforms;
using QuickStart;

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
ml.Log += (_, e) => { if (e.Kind >= ChannelMessageKind.Info) Console.WriteLine($"  {e.RawMessage}"); };
IDataView train = ml.Data.LoadFromIdx(trainImagesPath, trainLabelsPath);   // plain or .gz
IDataView test = ml.Data.LoadFromIdx(testImagesPath, testLabelsPath);
Console.WriteLine($"Train: {train.GetRowCount():N0} images, test: {test.GetRowCount():N0}; columns {train.Schema}");

var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: KeyOrdinality.ByValue)
    .Append(ml.MulticlassClassification.Trainers.Cnn(new CnnTrainer.Options { Architecture = CnnArchitectures.SeedNet, Epochs = epochs }))
    .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
var model = pipeline.Fit(train);
var cnn = model.OfType<CnnTransformer>().Single();
Console.WriteLine($"Trained {cnn.Summary.Name} ({cnn.Summary.TotalParameters:N0} parameters) on {cnn.Device} in {clock.Elapsed.TotalSeconds:F1} s");

var metrics = ml.MulticlassClassification.Evaluate(model.Transform(test), topKPredictionCount: 2);
Console.WriteLine($"MicroAccuracy    {metrics.MicroAccuracy:P2}");
Console.WriteLine($"MacroAccuracy    {metrics.MacroAccuracy:P2}");
Console.WriteLine($"LogLoss          {metrics.LogLoss:F4}");
Console.WriteLine($"LogLossReduction {metrics.LogLossReduction:F4}");
Console.WriteLine($"Top-2 accuracy   {metrics.TopKAccuracy:P2}");
Console.WriteLine(metrics.ConfusionMatrix.GetFormattedConfusionTable());

ml.Model.Save(model, train.Schema, modelPath);
model.Dispose();
var loaded = ml.Model.Load(modelPath, out var schema);
var engine = ml.Model.CreatePredictionEngine<DigitInput, DigitPrediction>(loaded);
Console.WriteLine($"Saved and reloaded {modelPath} (input {schema})");
foreach (var image in ml.Data.CreateEnumerable<DigitInput>(ml.Data.TakeRows(test, 5), reuseRowObject: false))
{
    var prediction = engine.Predict(image);
    Console.WriteLine($"  truth {image.Label}  predicted {prediction.Digit}  p = {prediction.Score.Max():P1}");
}
(loaded as IDisposable)?.Dispose();
Console.WriteLine($"Done in {clock.Elapsed.TotalSeconds:F1} s");
