// PredictCommand.cs — `digits predict MODEL INPUT...`: the digit, its probability and the runner-up for each image file,
// each image in a folder, or each image of an IDX file. Unreadable inputs are named on stderr, one line each; the others
// are still predicted and printed, and the exit code is then 1.
using System.CommandLine;
using System.Globalization;
using DigitsML.Engine;

namespace DigitsML.Cli;

internal static class PredictCommand
{
    public static Command Create()
    {
        var model = new Argument<FileInfo>("model") { Description = "Model file written by `digits train` or `digits ensemble`" };
        var inputs = new Argument<string[]>("input")
        {
            Description = $"Image files ({string.Join(", ", PredictionInputs.ImageExtensions)}), folders of them (searched recursively; " +
                          "sub-folders named by a digit label their images) or IDX image files (plain or .gz)",
            Arity = ArgumentArity.OneOrMore,
        };
        var labels = new Option<FileInfo?>("--labels") { Description = "IDX labels file for the one IDX images input, printed beside each prediction (default: none)" };
        var count = new Option<int>("--count") { Description = "Predict the first N images of each IDX file (default: 10; 0 = all)", DefaultValueFactory = _ => 10 };
        var json = JsonOutput.CreateOption("each input's digit, probability, runner-up, label and scores, the count right, the inputs that failed");
        var command = new Command("predict", "Predict the digit of image files, folders of images or IDX files; digits are read like " +
                                             "MNIST's (ink bright on dark, cropped, fitted to 20 × 20, centred by mass in 28 × 28)");
        command.Arguments.Add(model);
        command.Arguments.Add(inputs);
        foreach (Option o in new Option[] { labels, count, json })
            command.Options.Add(o);
        command.SetAction(r => Run(new MLContext(), r.GetValue(model)!, r.GetValue(inputs)!, r.GetValue(labels), r.GetValue(count), r.GetValue(json)));
        return command;
    }

    private static int Run(MLContext ml, FileInfo modelFile, string[] arguments, FileInfo? labels, int count, bool json)
    {
        using var model = LoadedModel.Load(ml, modelFile);
        var classes = Scores.ClassNames(model.Transformer.GetOutputSchema(model.InputSchema));
        var inputs = PredictionInputs.Resolve(arguments, classes);
        if (labels is not null && inputs.IdxFiles.Count != 1)
            throw new ArgumentException($"--labels goes with exactly one IDX images input; there are {inputs.IdxFiles.Count}");
        var table = new PredictionTable(model.Path, classes);
        if (inputs.Images.Count > 0)
            table.Rows.AddRange(ImagePredictor.Predict(ml, model.Transformer, inputs.Images));
        foreach (string idx in inputs.IdxFiles)
        {
            try
            {
                table.Rows.AddRange(PredictIdx(ml, model.Transformer, idx, labels?.FullName, count));
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
            table.Print();
        return inputs.Failures.Count == 0 ? 0 : Failure.BadInput;
    }

    /// <summary>The first <paramref name="count"/> images of an IDX file (all for 0), named "path[i]", labelled when a
    /// labels file is given.</summary>
    private static List<PredictionTable.Row> PredictIdx(MLContext ml, ITransformer model, string imagesPath, string? labelsPath, int count)
    {
        IDataView input = labelsPath is not null
            ? ml.Data.LoadFromIdx(imagesPath, labelsPath)
            : ml.Data.LoadFromEnumerable(UnlabelledRows(imagesPath));
        if (count > 0)
            input = ml.Data.TakeRows(input, count);
        // The model turns Label into a key, so the given labels are read from the input, not the output.
        var truth = labelsPath is null ? null : ml.Data.CreateEnumerable<ImageRow>(input, reuseRowObject: false)
            .Select(l => l.Label.ToString(CultureInfo.InvariantCulture)).ToList();
        return [.. ml.Data.CreateEnumerable<ScoreRow>(model.Transform(input), reuseRowObject: false)
            .Select((row, i) => new PredictionTable.Row($"{imagesPath}[{i}]", row.Score, truth?[i]))];
    }

    // The model's first step maps Label to a key, so unlabelled images carry a placeholder label it never uses.
    private static IEnumerable<ImageRow> UnlabelledRows(string imagesPath)
    {
        var images = IdxImages.Load(imagesPath);
        int size = (int)images.Shape.Elements;
        for (int i = 0; i < images.Count; i++)
            yield return new ImageRow { Features = images.Pixels.AsSpan(i * size, size).ToArray() };
    }

    private sealed class ImageRow
    {
        public float Label { get; set; }

        [VectorType(1, 28, 28)]
        public float[] Features { get; set; } = [];
    }
}
