// Program.cs — saves the same DigitsML model zip to one path again and again through ml.Model.SaveAtomically, printing
// "saved N" after each save, until killed. Usage: DigitsML.SaveLoop <model path>. AtomicSaveTests kills it at random
// moments and checks the file. The model saved is save-loop-model.zip next to this program (a DigitsML model).
using DigitsML;
using Microsoft.ML;

if (args.Length != 1)
{
    Console.Error.WriteLine("usage: DigitsML.SaveLoop <model path>");
    return 2;
}
var ml = new MLContext();
// ML.NET's own loader: a model from LoadDigitsModel cannot be saved again (its graph's temporary file is deleted after
// the load), and this fixture is ours.
using var model = (IDisposable)ml.Model.Load(Path.Combine(AppContext.BaseDirectory, "save-loop-model.zip"), out var schema);
for (long saves = 1; ; saves++)
{
    ml.Model.SaveAtomically((ITransformer)model, schema, args[0]);
    Console.WriteLine($"saved {saves}");
}
