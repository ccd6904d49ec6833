// Program.cs — the shipped models from the DigitsML.Scoring package alone: each "digit …" argument is an image of one
// digit, classified by ml.Model.LoadPretrainedDigits; each "number …" argument an image of a written number, read by
// ml.Model.LoadPretrainedReader. Prints one line per image: "digit FILE CLASS PROBABILITY" or "number FILE TEXT".
// Usage: Pretrained digit IMAGE | number IMAGE ...
using System.Globalization;
using DigitsML;
using Microsoft.ML;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
if (args.Length == 0 || args.Length % 2 != 0)
{
    Console.Error.WriteLine("usage: Pretrained digit IMAGE | number IMAGE ...");
    return 2;
}
var ml = new MLContext();
using var classifier = new DigitClassifier(ml.Model.LoadPretrainedDigits());
var reader = new NumberReader(ml.Model.LoadPretrainedReader());
for (int i = 0; i < args.Length; i += 2)
{
    string kind = args[i], file = args[i + 1];
    switch (kind)
    {
        case "digit":
            var answer = classifier.PredictFile(file);
            Console.WriteLine($"digit {Path.GetFileName(file)} {answer.Class} {answer.Probability:F4}");
            break;
        case "number":
            var reading = reader.ReadFile(file);
            Console.WriteLine($"number {Path.GetFileName(file)} {(reading.Text.Length > 0 ? reading.Text : "-")}{(reading.Reason is null ? "" : $" ({reading.Reason})")}");
            break;
        default:
            Console.Error.WriteLine($"unknown kind '{kind}': use digit or number");
            return 2;
    }
}
return 0;
