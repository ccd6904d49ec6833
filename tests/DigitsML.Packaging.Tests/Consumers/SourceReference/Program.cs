// Program.cs — trains a DigitsML network and builds a Microsoft.ML.TorchSharp estimator in one process (both on the
// TorchSharp that DigitsML brings), then prints what the packaging test checks.
//   dotnet run -- <mnist-folder> <training images>
using System.Globalization;
using DigitsML;
using DigitsML.Trainers;
using Microsoft.ML;
using Microsoft.ML.TorchSharp;
using Microsoft.ML.Transforms;

string folder = args[0];
int count = int.Parse(args[1], CultureInfo.InvariantCulture);
var ml = new MLContext(seed: 1);
IDataView train = ml.Data.TakeRows(ml.Data.LoadFromIdx(Path.Combine(folder, "train-images-idx3-ubyte"), Path.Combine(folder, "train-labels-idx1-ubyte")), count);
IDataView test = ml.Data.TakeRows(ml.Data.LoadFromIdx(Path.Combine(folder, "t10k-images-idx3-ubyte"), Path.Combine(folder, "t10k-labels-idx1-ubyte")), 2000);
var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
    .Append(ml.MulticlassClassification.Trainers.Cnn(new CnnTrainer.Options { Architecture = CnnArchitectures.DigitNet, Epochs = 1, Seed = 1 }));
ITransformer model = pipeline.Fit(train);
var metrics = ml.MulticlassClassification.Evaluate(model.Transform(test));
Console.WriteLine(FormattableString.Invariant($"DigitsML DigitNet micro-accuracy {metrics.MicroAccuracy:F4}"));

// Microsoft.ML.TorchSharp's own catalog in the same MLContext: its text classifier as an estimator in a pipeline.
var text = ml.MulticlassClassification.Trainers.TextClassification(labelColumnName: "Label", sentence1ColumnName: "Sentence");
Console.WriteLine($"Microsoft.ML.TorchSharp estimator {text.GetType().FullName}");
Console.WriteLine($"TorchSharp {typeof(TorchSharp.torch).Assembly.GetName().Version}");
