// PredictCommand.cs — `digits predict`: the digit, its probability and the runner-up for each image of an IDX file.
using System.CommandLine;
using DigitsML.Data;
using DigitsML.Engine;
using DigitsML.Trainers;

namespace DigitsML.Cli;

internal static class PredictCommand
{
    public static Command Create()
    {
        var device = new DeviceOption();
        var model = new Option<FileInfo>("--model") { Description = "Model file written by `digits train` (required)", Required = true };
        var images = new Option<FileInfo>("--images") { Description = "IDX images file, plain or .gz (required)", Required = true };
        var labels = new Option<FileInfo?>("--labels") { Description = "IDX labels file to print beside each prediction (default: none)" };
        var count = new Option<int>("--count") { Description = "Predict the first N images (default: 10; 0 = all)", DefaultValueFactory = _ => 10 };
        var command = new Command("predict", "Predict the digit of each image in an IDX file");
        foreach (Option o in new Option[] { model, images, labels, count })
            command.Options.Add(o);
        device.AddTo(command);
        command.SetAction(r =>
        {
            var ml = device.CreateContext(r);
            using var loaded = (TransformerChain<ITransformer>)ml.Model.Load(r.GetValue(model)!.FullName, out _);
            string imagesPath = r.GetValue(images)!.FullName;
            FileInfo? labelFile = r.GetValue(labels);
            IDataView input = labelFile is not null
                ? ml.Data.LoadFromIdx(imagesPath, labelFile.FullName)
                : ml.Data.LoadFromEnumerable(UnlabelledRows(imagesPath));
            if (r.GetValue(count) is > 0 and var n)
                input = ml.Data.TakeRows(input, n);
            var classes = loaded.OfType<CnnTransformer>().Last().ClassNames;
            // The model turns Label into a key, so the given labels are read from the input, not the output.
            float[] truth = labelFile is null ? [] : ml.Data.CreateEnumerable<LabelRow>(input, reuseRowObject: false).Select(l => l.Label).ToArray();

            Console.WriteLine("image  digit  probability  runner-up  probability" + (labelFile is null ? "" : "  label"));
            int index = 0;
            foreach (var row in ml.Data.CreateEnumerable<PredictionRow>(loaded.Transform(input), reuseRowObject: true))
            {
                int best = 0, second = -1;
                for (int j = 1; j < row.Score.Length; j++)
                    if (row.Score[j] > row.Score[best]) best = j;
                for (int j = 0; j < row.Score.Length; j++)
                    if (j != best && (second < 0 || row.Score[j] > row.Score[second])) second = j;
                Console.WriteLine($"{index++,5}  {classes[best],5}  {row.Score[best],11:P2}  {classes[second],9}  {row.Score[second],11:P2}" +
                                  (labelFile is null ? "" : $"  {truth[index - 1],5}"));
            }
            return 0;
        });
        return command;
    }

    // The model's first step maps Label to a key, so unlabelled images carry a placeholder label it never uses.
    private static IEnumerable<ImageRow> UnlabelledRows(string imagesPath)
    {
        var images = DigitDataset.LoadIdxImages(imagesPath);
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

    private sealed class PredictionRow
    {
        public float[] Score { get; set; } = [];
    }

    private sealed class LabelRow
    {
        public float Label { get; set; }
    }
}
