// PredictCommand.cs — `digits predict`: the digit, its probability and the runner-up for IDX images.
using System.CommandLine;
using DigitsML.Engine;

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
            using var network = NetworkFile.Load(r.GetValue(model)!.FullName, device.Resolve(r));
            string imagesPath = r.GetValue(images)!.FullName;
            var data = r.GetValue(labels) is FileInfo l
                ? DigitDataset.LoadIdx(imagesPath, l.FullName)
                : DigitDataset.LoadIdxImages(imagesPath);
            int n = r.GetValue(count) is > 0 and var c ? Math.Min(c, data.Count) : data.Count;
            int e = (int)data.Shape.Elements, k = network.Classes;
            var probabilities = network.Forward(data.Pixels.AsSpan(0, n * e), n);
            bool labelled = r.GetValue(labels) is not null;
            Console.WriteLine(labelled ? "image  digit  probability  runner-up  probability  label" : "image  digit  probability  runner-up  probability");
            for (int i = 0; i < n; i++)
            {
                var row = probabilities.AsSpan(i * k, k);
                int best = 0, second = -1;
                for (int j = 1; j < k; j++)
                    if (row[j] > row[best]) best = j;
                for (int j = 0; j < k; j++)
                    if (j != best && (second < 0 || row[j] > row[second])) second = j;
                Console.WriteLine($"{i,5}  {best,5}  {row[best],11:P2}  {second,9}  {row[second],11:P2}" + (labelled ? $"  {data.Labels[i],5}" : ""));
            }
            return 0;
        });
        return command;
    }
}
