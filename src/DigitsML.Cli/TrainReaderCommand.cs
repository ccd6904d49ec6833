// TrainReaderCommand.cs — `digits train-reader --out reader.zip`: trains a line reader (whole numbers, no cutting) with
// CTC loss on numbers made on the fly from MNIST's training digits, validated on held-out training digits.
using System.CommandLine;
using System.Globalization;

namespace DigitsML.Cli;

internal static class TrainReaderCommand
{
    /// <summary>What `digits train-reader --json` prints.</summary>
    public sealed record Document(string Model, int Step, int Steps, double ValidationAccuracy, double ValidationDigitAccuracy, double Seconds,
        NumberReaderTrainer.Options Options);

    public static Command Create()
    {
        var data = new DataOptions();
        var defaults = new NumberReaderTrainer.Options();
        var output = new Option<FileInfo>("--out") { Description = "The reader model zip to write", Required = true };
        var steps = new Option<int>("--steps") { Description = $"Optimizer steps (default: {defaults.Steps})", DefaultValueFactory = _ => defaults.Steps };
        var batch = new Option<int>("--batch-size") { Description = $"Numbers per step (default: {defaults.BatchSize})", DefaultValueFactory = _ => defaults.BatchSize };
        var rate = new Option<double>("--learning-rate")
        {
            Description = $"Peak learning rate of AdamW (default: {defaults.LearningRate.ToString(CultureInfo.InvariantCulture)})",
            DefaultValueFactory = _ => defaults.LearningRate,
        };
        var seed = new Option<int>("--seed") { Description = $"Initial weights and every number made (default: {defaults.Seed})", DefaultValueFactory = _ => defaults.Seed };
        var validation = new Option<int>("--validation-numbers")
        {
            Description = $"Numbers made from held-out training digits to choose on (default: {defaults.ValidationNumbers})",
            DefaultValueFactory = _ => defaults.ValidationNumbers,
        };
        var every = new Option<int>("--validate-every")
        {
            Description = $"Steps between validations and checkpoints (default: {defaults.ValidateEvery})",
            DefaultValueFactory = _ => defaults.ValidateEvery,
        };
        var threads = new Option<int>("--threads") { Description = "libtorch CPU threads (default: every core)" };
        var checkpoint = new Option<FileInfo?>("--checkpoint")
        {
            Description = "Keep a checkpoint here after each validation, and resume from it when it exists (default: none)",
        };
        var json = JsonOutput.CreateOption("the best validation figures, the time and the recipe");
        var command = new Command("train-reader", "Train a line reader that reads whole handwritten numbers without cutting them into digits " +
                                                  "(CTC loss, numbers made from MNIST training digits on paper with lines, boxes and grids)");
        data.AddTrainingTo(command);
        foreach (Option o in new Option[] { output, steps, batch, rate, seed, validation, every, threads, checkpoint, json })
            command.Options.Add(o);
        command.SetAction((r, token) =>
        {
            var options = new NumberReaderTrainer.Options
            {
                Steps = r.GetValue(steps), BatchSize = r.GetValue(batch), LearningRate = r.GetValue(rate), Seed = r.GetValue(seed),
                ValidationNumbers = r.GetValue(validation), ValidateEvery = r.GetValue(every), Threads = r.GetValue(threads),
            };
            return Task.FromResult(Run(data.TrainFiles(r), r.GetValue(output)!, options, r.GetValue(checkpoint), r.GetValue(json), token));
        });
        return command;
    }

    private static int Run((string Images, string Labels) train, FileInfo output, NumberReaderTrainer.Options options, FileInfo? checkpoint,
        bool json, CancellationToken token)
    {
        OutputPaths.RequireWritable(output.FullName, "--out");
        var progress = new LineProgress(p =>
        {
            var line = $"step {p.Step}/{p.Steps}  loss {p.Loss:F4}  validation: {p.ValidationAccuracy:P2} whole numbers, {p.ValidationDigitAccuracy:P2} digits  {p.Elapsed:hh\\:mm\\:ss}";
            if (json)
                Console.Error.WriteLine(line);
            else
                Console.WriteLine(line);
        });
        var best = NumberReaderTrainer.Train(train.Images, train.Labels, output.FullName, options, checkpoint?.FullName, progress, token);
        if (json)
            JsonOutput.Write(new Document(output.FullName, best.Step, best.Steps, best.ValidationAccuracy ?? 0, best.ValidationDigitAccuracy ?? 0,
                Math.Round(best.Elapsed.TotalSeconds, 1), options));
        else
            Console.WriteLine($"Saved {output.FullName}: step {best.Step}, {best.ValidationAccuracy:P2} of validation numbers whole, " +
                              $"{best.ValidationDigitAccuracy:P2} of digits, in {best.Elapsed:hh\\:mm\\:ss}");
        return 0;
    }

    /// <summary>Prints on the training thread, in order (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class LineProgress(Action<NumberReaderProgress> print) : IProgress<NumberReaderProgress>
    {
        public void Report(NumberReaderProgress value) => print(value);
    }
}
