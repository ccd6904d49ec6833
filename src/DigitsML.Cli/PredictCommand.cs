// PredictCommand.cs — `digits predict [MODEL.zip] INPUT...`: the digit, its probability and the runner-up for each image
// file, each image in a folder, or each image of an IDX file. A first argument ending in .zip is the model (as is
// --model, the first edition's spelling); without one, the digit classifier shipped with DigitsML predicts (named
// pretrained:digits@SHA in the output). Unreadable inputs are named on stderr, one line each; the others
// are still predicted and printed, and the exit code is then 1.
using System.CommandLine;
using System.Globalization;

namespace DigitsML.Cli;

internal static class PredictCommand
{
    public static Command Create()
    {
        // One list of arguments: the first is the model when it ends in .zip (no input does: images, folders, IDX files),
        // so `digits predict model.zip a.png` works as before and `digits predict a.png` uses the shipped classifier.
        var inputs = new Argument<string[]>("input")
        {
            Description = "[MODEL.zip] INPUT...: the model file written by `digits train` or `digits ensemble`, when the first " +
                          "argument ends in .zip (default: the digit classifier shipped with DigitsML, named pretrained:digits in the output); " +
                          $"then image files ({string.Join(", ", PredictionInputs.ImageExtensions)}), folders of them (searched recursively; " +
                          "sub-folders named by a digit label their images) or IDX image files (plain or .gz)",
            Arity = ArgumentArity.OneOrMore,
        };
        var modelOption = new Option<FileInfo?>("--model") { Description = "The model file, as a first argument ending in .zip gives it (the first edition's spelling)" };
        var labels = new Option<FileInfo?>("--labels") { Description = "IDX labels file for the one IDX images input, printed beside each prediction (default: none)" };
        var count = new Option<int>("--count") { Description = "Predict the first N images of each IDX file (default: 10; 0 = all)", DefaultValueFactory = _ => 10 };
        var json = JsonOutput.CreateOption("each input's digit, probability, runner-up, label and scores, the count right, the inputs that failed");
        var command = new Command("predict", "Predict the digit of image files, folders of images or IDX files, with the model a first argument " +
                                             "ending in .zip names or else the digit classifier shipped with DigitsML; digits are read like " +
                                             "MNIST's (ink bright on dark, cropped, fitted to 20 × 20, centred by mass in 28 × 28)");
        command.Arguments.Add(inputs);
        foreach (Option o in new Option[] { modelOption, labels, count, json })
            command.Options.Add(o);
        command.Validators.Add(result =>
        {
            if (result.GetValue(count) < 0)
                result.AddError($"--count must be 0 (all) or more; got {result.GetValue(count)}");
            string[] given = result.GetValue(inputs) ?? [];
            bool first = given.Length > 0 && IsModelFile(given[0]);
            if (first && result.GetValue(modelOption) is not null)
                result.AddError("give the model once: as the first argument or with --model, not both");
            else if (first && given.Length == 1)
                result.AddError("give the images to predict after the model: digits predict [MODEL.zip] INPUT...");
        });
        command.SetAction(r =>
        {
            string[] given = r.GetValue(inputs)!;
            var modelFile = r.GetValue(modelOption);
            if (modelFile is null && IsModelFile(given[0]))
                (modelFile, given) = (new FileInfo(given[0]), given[1..]);
            return Run(new MLContext(), modelFile, given, r.GetValue(labels), r.GetValue(count), r.GetValue(json));
        });
        return command;
    }

    /// <summary>Whether a first argument names the model: a model zip's name (no input is a .zip).</summary>
    private static bool IsModelFile(string argument) => argument.EndsWith(".zip", StringComparison.OrdinalIgnoreCase);

    private static int Run(MLContext ml, FileInfo? modelFile, string[] arguments, FileInfo? labels, int count, bool json)
    {
        using var classifier = modelFile is null ? LoadShipped() : DigitClassifier.Load(modelFile.FullName);
        string modelName = modelFile is null ? ShippedModel.Label(PretrainedModels.Digits) : classifier.ModelPath!;
        var inputs = PredictionInputs.Resolve(arguments, classifier.Classes);
        if (labels is not null && inputs.IdxFiles.Count != 1)
            throw new ArgumentException($"--labels goes with exactly one IDX images input; there are {inputs.IdxFiles.Count}");
        var table = new PredictionTable(modelName, classifier.Classes);
        foreach (var image in inputs.Images)
        {
            try
            {
                table.Rows.Add(new PredictionTable.Row(image.Path, classifier.PredictFile(image.Path), image.Truth));
            }
            catch (DataFormatException e)
            {
                inputs.Failures.Add(new PredictionInputs.Unreadable(image.Path, e.Message));
            }
        }
        foreach (string idx in inputs.IdxFiles)
        {
            try
            {
                PredictIdx(ml, classifier, idx, labels?.FullName, count, table.Rows);
            }
            catch (Exception e) when (e is DataFormatException or IOException)
            {
                inputs.Failures.Add(new PredictionInputs.Unreadable(idx, e.Message));
            }
        }
        foreach (var failure in inputs.Failures)
            Failure.Line(failure.Message);
        if (json)
            JsonOutput.Write(table.ToJson(inputs.Failures));
        else
        {
            if (modelFile is null && table.Rows.Count > 0)
                ShippedModel.PrintUsed(modelName);
            table.Print();
        }
        return inputs.Failures.Count == 0 ? 0 : Failure.BadInput;
    }

    /// <summary>The digit classifier shipped with DigitsML, checked against its SHA-256.</summary>
    private static DigitClassifier LoadShipped()
    {
        using var stream = PretrainedModels.Open(PretrainedModels.Digits);
        return DigitClassifier.Load(stream);
    }

    /// <summary>Adds the first <paramref name="count"/> images of an IDX file (all for 0), named "path[i]", labelled when a
    /// labels file is given. The view's own cursor is read, one image at a time: only those images are read, whatever
    /// the header claims, and a bad file's <see cref="DataFormatException"/> (file and cause) arrives as it is, not wrapped
    /// by ML.NET's parallel cursor. Rows read before a bad record are kept.</summary>
    private static void PredictIdx(MLContext ml, DigitClassifier classifier, string imagesPath, string? labelsPath, int count,
        List<PredictionTable.Row> rows)
    {
        var view = labelsPath is null ? ml.Data.LoadFromIdx(imagesPath) : ml.Data.LoadFromIdx(imagesPath, labelsPath);
        using var cursor = view.GetRowCursor(view.Schema);
        var labelGetter = cursor.GetGetter<float>(view.Schema["Label"]);
        var featuresGetter = cursor.GetGetter<VBuffer<float>>(view.Schema["Features"]);
        VBuffer<float> features = default;
        float label = 0;
        for (int i = 0; (count == 0 || i < count) && cursor.MoveNext(); i++)
        {
            featuresGetter(ref features);
            labelGetter(ref label);
            string? truth = labelsPath is null ? null : label.ToString(CultureInfo.InvariantCulture);
            rows.Add(new PredictionTable.Row($"{imagesPath}[{i}]", classifier.Predict(features.GetValues()), truth));
        }
    }
}
