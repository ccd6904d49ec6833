// TrainingDisplay.cs — what `digits train` shows while it trains: a live progress bar on a terminal, one line per epoch
// when stdout is redirected (logs, CI, tests: no ANSI codes), nothing with --json.
using DigitsML.Engine;
using DigitsML.Networks;
using Spectre.Console;

namespace DigitsML.Cli;

internal abstract class TrainingDisplay : IProgress<EpochProgress>, IProgress<BatchProgress>
{
    private BatchProgress? lastBatch;

    /// <summary>Silent for --json, one line per epoch when stdout is not an interactive terminal, else a progress bar.</summary>
    public static TrainingDisplay Create(bool json) =>
        json ? new Quiet()
        : Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive ? new EpochLines()
        : new ProgressBar();

    /// <summary>Runs <paramref name="train"/>, which reports to this display, and returns what it returns.</summary>
    public virtual T Run<T>(Func<T> train) => train();

    public void Report(BatchProgress value)
    {
        lastBatch = value;
        OnBatch(value);
    }

    public void Report(EpochProgress value)
    {
        // Images per second of the training batches alone (validation time excluded), as the bar showed them.
        double rate = lastBatch is { } b && b.Epoch == value.Epoch ? b.ImagesPerSecond : 0;
        OnEpoch($"{value}  {rate:F0} images/s");
    }

    /// <summary>Shows one line the trainer logs (the device, the data's size, a resized last layer).</summary>
    public virtual void Log(string line) { }

    protected virtual void OnBatch(BatchProgress value) { }

    protected virtual void OnEpoch(string line) { }

    private sealed class Quiet : TrainingDisplay;

    private sealed class EpochLines : TrainingDisplay
    {
        public override void Log(string line) => Console.WriteLine(line);

        protected override void OnEpoch(string line) => Console.WriteLine(line);
    }

    /// <summary>One bar for the epoch in progress; finished epochs are printed above it as lines.</summary>
    private sealed class ProgressBar : TrainingDisplay
    {
        private ProgressTask? task;

        public override T Run<T>(Func<T> train) =>
            AnsiConsole.Progress()
                .AutoClear(true)
                // The figures take about 70 columns; the bar gets what is left of the terminal, within reason.
                .Columns(new ProgressBarColumn { Width = Math.Clamp(AnsiConsole.Profile.Width - 72, 8, 40) },
                    new TaskDescriptionColumn { Alignment = Justify.Left })
                .Start(context =>
                {
                    task = context.AddTask("reading the training data", maxValue: 1);
                    return train();
                });

        protected override void OnBatch(BatchProgress p)
        {
            if (task is null)
                return;
            task.MaxValue = p.Batches;
            task.Value = p.Batch;
            task.Description = Markup.Escape($"epoch {p.Epoch}/{p.Epochs} batch {p.Batch}/{p.Batches} loss {p.Loss:F3} acc {p.Accuracy * 100:F1}% " +
                                             $"{p.ImagesPerSecond:F0} img/s {TimeLeft(p):h\\:mm\\:ss} left");
        }

        public override void Log(string line) => AnsiConsole.WriteLine(line);

        protected override void OnEpoch(string line) => AnsiConsole.WriteLine(line);

        /// <summary>The rest of the run at the current epoch's pace (validation not counted).</summary>
        private static TimeSpan TimeLeft(BatchProgress p)
        {
            long remaining = (long)(p.Epochs - p.Epoch) * p.Batches + (p.Batches - p.Batch);
            return TimeSpan.FromSeconds(p.Seconds / p.Batch * remaining);
        }
    }
}
