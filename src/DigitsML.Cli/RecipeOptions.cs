// RecipeOptions.cs — the training recipe on the command line; defaults are the build/run.sh recipe.
using System.CommandLine;
using DigitsML.Engine;
using DigitsML.Trainers;

namespace DigitsML.Cli;

internal sealed class RecipeOptions
{
    public Option<string> Architecture { get; } = new("--arch")
    {
        Description = $"Network: {string.Join(", ", CnnArchitectures.All.Keys)} (default: {DefaultRecipe.Architecture.Name})",
        DefaultValueFactory = _ => DefaultRecipe.Architecture.Name,
    };
    public Option<int> Epochs { get; } = new("--epochs") { Description = $"Passes over the training data (default: {DefaultRecipe.Options.Epochs})", DefaultValueFactory = _ => DefaultRecipe.Options.Epochs };
    public Option<int> BatchSize { get; } = new("--batch-size") { Description = $"Examples per step (default: {DefaultRecipe.Options.BatchSize})", DefaultValueFactory = _ => DefaultRecipe.Options.BatchSize };
    public Option<string> Optimizer { get; } = new("--optimizer") { Description = $"adadelta, sgd, adam or adamw (default: {DefaultRecipe.OptimizerName})", DefaultValueFactory = _ => DefaultRecipe.OptimizerName };
    public Option<double?> LearningRate { get; } = new("--lr") { Description = $"Learning rate (default: {DefaultRecipe.Options.Optimizer.LearningRate} for the default optimizer, else that optimizer's own default)" };
    public Option<double> Momentum { get; } = new("--momentum") { Description = "SGD momentum (default: 0.9)", DefaultValueFactory = _ => 0.9 };
    public Option<bool> Nesterov { get; } = new("--nesterov") { Description = "SGD with Nesterov momentum (default: off)" };
    public Option<double?> WeightDecay { get; } = new("--weight-decay") { Description = "L2 penalty (default: 0; AdamW 0.01)" };
    public Option<string> Schedule { get; } = new("--schedule") { Description = $"constant, step, exponential or onecycle (default: {DefaultRecipe.ScheduleName})", DefaultValueFactory = _ => DefaultRecipe.ScheduleName };
    public Option<int> StepSize { get; } = new("--step-size") { Description = "Epochs between StepLR decays (default: 1)", DefaultValueFactory = _ => 1 };
    public Option<double?> Gamma { get; } = new("--gamma") { Description = "Decay factor of step (default: 0.7) and exponential (default: 0.98) schedules" };
    public Option<double?> MaxLearningRate { get; } = new("--max-lr") { Description = $"Peak rate of the onecycle schedule (default: {DefaultRecipe.MaxRate})" };
    public Option<double> LabelSmoothing { get; } = new("--label-smoothing") { Description = "Label smoothing in [0, 1) (default: 0)", DefaultValueFactory = _ => 0.0 };
    public Option<int> Seed { get; } = new("--seed") { Description = "Seed of weights, shuffling and dropout (default: 1)", DefaultValueFactory = _ => 1 };
    public Option<int> TrainCount { get; } = new("--train-count") { Description = "Train on the first N images only (default: 0 = all)", DefaultValueFactory = _ => 0 };

    public void AddTo(Command command)
    {
        foreach (Option o in new Option[] { Architecture, Epochs, BatchSize, Optimizer, LearningRate, Momentum, Nesterov, WeightDecay,
                     Schedule, StepSize, Gamma, MaxLearningRate, LabelSmoothing, Seed, TrainCount })
            command.Options.Add(o);
    }

    public NetworkDefinition ResolveArchitecture(ParseResult r)
    {
        string name = r.GetValue(Architecture)!;
        return CnnArchitectures.All.TryGetValue(name, out var definition)
            ? definition
            : throw new ArgumentException($"unknown architecture '{name}'; choose one of {string.Join(", ", CnnArchitectures.All.Keys)}");
    }

    public TrainingOptions Resolve(ParseResult r)
    {
        string optimizerName = r.GetValue(Optimizer)!.ToLowerInvariant();
        double? lr = r.GetValue(LearningRate), wd = r.GetValue(WeightDecay);
        OptimizerSettings optimizer = optimizerName switch
        {
            "adadelta" => new AdadeltaOptimizer(),
            "sgd" => new SgdOptimizer { Momentum = r.GetValue(Momentum), Nesterov = r.GetValue(Nesterov) },
            "adam" => new AdamOptimizer(),
            "adamw" => new AdamWOptimizer(),
            _ => throw new ArgumentException($"unknown optimizer '{optimizerName}'; choose adadelta, sgd, adam or adamw"),
        };
        if (optimizerName == DefaultRecipe.OptimizerName)
            optimizer = optimizer with { LearningRate = DefaultRecipe.Options.Optimizer.LearningRate };
        if (lr is double rate)
            optimizer = optimizer with { LearningRate = rate };
        if (wd is double decay)
            optimizer = optimizer with { WeightDecay = decay };

        string scheduleName = r.GetValue(Schedule)!.ToLowerInvariant();
        LearningRateSchedule schedule = scheduleName switch
        {
            "constant" => new ConstantLR(),
            "step" => new StepLR(r.GetValue(StepSize), r.GetValue(Gamma) ?? 0.7),
            "exponential" => new ExponentialLR(r.GetValue(Gamma) ?? 0.98),
            "onecycle" => new OneCycleLR(r.GetValue(MaxLearningRate) ?? DefaultRecipe.MaxRate),
            _ => throw new ArgumentException($"unknown schedule '{scheduleName}'; choose constant, step, exponential or onecycle"),
        };
        return new TrainingOptions
        {
            Epochs = r.GetValue(Epochs),
            BatchSize = r.GetValue(BatchSize),
            Optimizer = optimizer,
            Schedule = schedule,
            LabelSmoothing = r.GetValue(LabelSmoothing),
            Seed = r.GetValue(Seed),
        };
    }
}
