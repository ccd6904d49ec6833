// RecipeOptions.cs — the training recipe on the command line: a preset (default: build/run.sh's recipe) and flags
// that override any of its settings.
using System.CommandLine;
using System.Globalization;
using DigitsML.Engine;
using DigitsML.Networks;
using DigitsML.Trainers;

namespace DigitsML.Cli;

internal sealed class RecipeOptions
{
    private static string N(double value) => value.ToString(CultureInfo.InvariantCulture);

    public Option<string> Preset { get; } = new("--preset")
    {
        Description = $"Recipe to start from: {Presets.List()}; every flag given overrides the preset's value " +
                      $"(default: {TrainingPresets.DefaultName})",
        DefaultValueFactory = _ => TrainingPresets.DefaultName,
    };
    public Option<string?> Architecture { get; } = new("--arch")
    {
        Description = $"Network: {string.Join(", ", CnnArchitectures.All.Keys)} {Presets.Defaults(o => o.Architecture.Name)}",
    };
    public Option<int?> Epochs { get; } = Number<int>("--epochs", "Passes over the training data", o => $"{o.Epochs}", v => v >= 1, "at least 1");
    public Option<int?> BatchSize { get; } = Number<int>("--batch-size", "Examples per step", o => $"{o.BatchSize}", v => v >= 1, "at least 1");
    public Option<string?> Optimizer { get; } = new("--optimizer")
    {
        Description = $"adadelta, sgd, adam or adamw, with that optimizer's own learning rate {Presets.Defaults(o => Recipe.Name(o.Optimizer))}",
    };
    public Option<double?> LearningRate { get; } = Number<double>("--lr",
        $"Learning rate {Presets.Defaults(o => N(o.Optimizer.LearningRate))}; with --optimizer, that optimizer's own (adadelta 1, " +
        "sgd 0.01, adam 0.001, adamw 0.001); the onecycle schedule ignores it and follows --max-lr",
        null, v => v >= 0 && double.IsFinite(v), "finite and not negative");
    public Option<double?> Momentum { get; } = Number<double>("--momentum", "SGD momentum (default: 0.9)", null, v => v >= 0, "not negative");
    public Option<bool> Nesterov { get; } = new("--nesterov") { Description = "SGD with Nesterov momentum (default: off)" };
    public Option<double?> WeightDecay { get; } = Number<double>("--weight-decay", "L2 penalty (default: 0; adamw 0.01)", null, v => v >= 0, "not negative");
    public Option<string?> Schedule { get; } = new("--schedule")
    {
        Description = $"constant, step, exponential or onecycle {Presets.Defaults(o => Recipe.Name(o.Schedule))}",
    };
    public Option<int?> StepSize { get; } = Number<int>("--step-size", "Epochs between step-schedule decays (default: 1)", null, v => v >= 1, "at least 1");
    public Option<double?> Gamma { get; } = Number<double>("--gamma",
        "Decay factor of the step (default: 0.7) and exponential (default: 0.98) schedules", null, v => v > 0, "positive");
    public Option<double?> MaxLearningRate { get; } = Number<double>("--max-lr", $"Peak rate of the onecycle schedule (default: {N(Presets.DefaultMaxRate)})",
        null, v => v > 0, "positive");
    public Option<double?> LabelSmoothing { get; } = Number<double>("--label-smoothing", "Label smoothing in [0, 1)", o => N(o.LabelSmoothing),
        v => v is >= 0 and < 1, "in [0, 1)");
    public Option<double?> ClipGradNorm { get; } = Number<double>("--clip-grad-norm",
        "Scale the gradients down to this global L2 norm before each step when it is exceeded; 0 = off",
        o => o.GradientClipNorm is double c ? N(c) : "0", v => v >= 0 && double.IsFinite(v), "finite and not negative");
    public Option<int?> Seed { get; } = Number<int>("--seed", "Seed of weights, shuffling, augmentation, dropout and the validation split",
        o => $"{o.Seed}", _ => true, "");
    public Option<int?> Members { get; } = Number<int>("--members",
        "Networks to train with the recipe, with seeds SEED, SEED+1, ...; more than 1 saves their soft-voting ensemble " +
        $"(default: 1; {string.Join("; ", TrainingPresets.ByName.Where(p => p.Members > 1).Select(p => $"{p.Name}: {p.Members}"))})",
        null, v => v is >= 1 and <= 64, "in [1, 64]");
    public Option<int> TrainCount { get; } = new("--train-count") { Description = "Train on the first N images only (default: 0 = all)", DefaultValueFactory = _ => 0 };
    public Option<double?> Rotate { get; } = Number<double>("--rotate", "Rotate each training image by a random angle up to ± DEGREES",
        o => N(o.Augmentation.MaxRotationDegrees), v => v is >= 0 and <= 180, "in [0, 180]");
    public Option<double?> Shift { get; } = Number<double>("--shift", "Shift each training image by up to ± FRACTION of its size",
        o => N(o.Augmentation.MaxTranslation), v => v is >= 0 and <= 1, "in [0, 1]");
    public Option<double?> Elastic { get; } = Number<double>("--elastic", "Share of training images given an elastic distortion (Simard et al. 2003)",
        o => N(o.Augmentation.ElasticProbability), v => v is >= 0 and <= 1, "in [0, 1]");
    public Option<double?> LowResolution { get; } = Number<double>("--low-resolution",
        "Share of training images brought down to a digit 8-16 pixels tall and back, as a low-dpi scan",
        o => N(o.Augmentation.LowResolutionProbability), v => v is >= 0 and <= 1, "in [0, 1]");
    public Option<double?> Stroke { get; } = Number<double>("--stroke", "Share of training images with strokes widened or narrowed",
        o => N(o.Augmentation.StrokeProbability), v => v is >= 0 and <= 1, "in [0, 1]");
    public Option<double?> Scribble { get; } = Number<double>("--scribble", "Share of training images scribbled over by a polyline",
        o => N(o.Augmentation.ScribbleProbability), v => v is >= 0 and <= 1, "in [0, 1]");
    public Option<bool> AverageWeights { get; } = new("--average-weights")
    {
        Description = $"Keep an exponential moving average of the weights and save it; --average-weights false turns it off " +
                      Presets.Defaults(o => o.AverageWeights ? "on" : "off"),
    };
    public Option<double?> EmaDecay { get; } = Number<double>("--ema-decay", "Decay of the weight average, in (0, 1); giving it turns averaging on",
        o => N(o.WeightAverageDecay), v => v is > 0 and < 1, "in (0, 1)");
    public Option<double?> Validation { get; } = Number<double>("--validation",
        "Fraction of the training images held out and evaluated after every epoch, never trained on", o => N(o.ValidationFraction),
        v => v is >= 0 and < 1, "in [0, 1)");
    public Option<int?> Patience { get; } = Number<int>("--patience",
        "Stop after N epochs without a better validation accuracy; needs --validation; 0 = never", o => $"{o.EarlyStoppingPatience}",
        v => v >= 0, "not negative");
    public Option<bool> BestEpoch { get; } = new("--best-epoch")
    {
        Description = "Keep the weights of the epoch with the best validation accuracy instead of the last; needs --validation " +
                      Presets.Defaults(o => o.SelectBestEpoch ? "on" : "off"),
    };

    public void AddTo(Command command)
    {
        foreach (Option o in new Option[] { Preset, Architecture, Epochs, BatchSize, Optimizer, LearningRate, Momentum, Nesterov, WeightDecay,
                     Schedule, StepSize, Gamma, MaxLearningRate, LabelSmoothing, ClipGradNorm, Seed, Members, TrainCount, Rotate, Shift, Elastic, LowResolution, Stroke, Scribble, AverageWeights, EmaDecay,
                     Validation, Patience, BestEpoch })
            command.Options.Add(o);
    }

    /// <summary>The preset with every flag given on the command line applied.</summary>
    /// <exception cref="ArgumentException">A name is unknown or flags contradict each other; the message names the flags.
    /// Settings that contradict each other in any recipe (e.g. --patience without --validation) are refused by
    /// <see cref="CnnTrainer.Options.Validate"/> when the trainer is made, naming the settings.</exception>
    public Recipe Resolve(ParseResult r)
    {
        var named = TrainingPresets.Find(r.GetValue(Preset)!);
        var preset = named.Options;
        var options = preset with
        {
            Architecture = ResolveArchitecture(r, preset.Architecture),
            Epochs = r.GetValue(Epochs) ?? preset.Epochs,
            BatchSize = r.GetValue(BatchSize) ?? preset.BatchSize,
            Optimizer = ResolveOptimizer(r, preset.Optimizer),
            Schedule = ResolveSchedule(r, preset.Schedule),
            LabelSmoothing = r.GetValue(LabelSmoothing) ?? preset.LabelSmoothing,
            GradientClipNorm = r.GetValue(ClipGradNorm) is double clip ? clip > 0 ? clip : null : preset.GradientClipNorm,
            Seed = r.GetValue(Seed) ?? preset.Seed,
            // `with`: the preset's other augmentation settings (scale, noise, ...) are kept; the flags set these two.
            Augmentation = preset.Augmentation with
            {
                MaxRotationDegrees = r.GetValue(Rotate) ?? preset.Augmentation.MaxRotationDegrees,
                MaxTranslation = r.GetValue(Shift) ?? preset.Augmentation.MaxTranslation,
                ElasticProbability = r.GetValue(Elastic) ?? preset.Augmentation.ElasticProbability,
                LowResolutionProbability = r.GetValue(LowResolution) ?? preset.Augmentation.LowResolutionProbability,
                StrokeProbability = r.GetValue(Stroke) ?? preset.Augmentation.StrokeProbability,
                ScribbleProbability = r.GetValue(Scribble) ?? preset.Augmentation.ScribbleProbability,
            },
            AverageWeights = ResolveAveraging(r, preset.AverageWeights),
            WeightAverageDecay = r.GetValue(EmaDecay) ?? preset.WeightAverageDecay,
            ValidationFraction = r.GetValue(Validation) ?? preset.ValidationFraction,
            EarlyStoppingPatience = r.GetValue(Patience) ?? preset.EarlyStoppingPatience,
            SelectBestEpoch = Given(r, BestEpoch) ? r.GetValue(BestEpoch) : preset.SelectBestEpoch,
        };
        if (Given(r, LearningRate) && options.Schedule is OneCycleLR)
            throw new ArgumentException("--lr has no effect with the onecycle schedule, which sets the rate itself: give --max-lr, or another --schedule");
        return new Recipe(named.Name, options, r.GetValue(Members) ?? named.Members);
    }

    private NetworkDefinition ResolveArchitecture(ParseResult r, NetworkDefinition preset)
    {
        if (r.GetValue(Architecture) is not { } name)
            return preset;
        return CnnArchitectures.All.TryGetValue(name, out var definition)
            ? definition
            : throw new ArgumentException($"unknown architecture '{name}'; choose one of {string.Join(", ", CnnArchitectures.All.Keys)}");
    }

    private OptimizerSettings ResolveOptimizer(ParseResult r, OptimizerSettings preset)
    {
        var optimizer = r.GetValue(Optimizer)?.ToLowerInvariant() switch
        {
            null => preset,
            "adadelta" => new AdadeltaOptimizer(),
            "sgd" => new SgdOptimizer { Momentum = 0.9 },
            "adam" => new AdamOptimizer(),
            "adamw" => new AdamWOptimizer(),
            var other => throw new ArgumentException($"unknown optimizer '{other}'; choose adadelta, sgd, adam or adamw"),
        };
        if (optimizer is SgdOptimizer sgd)
            optimizer = sgd with { Momentum = r.GetValue(Momentum) ?? sgd.Momentum, Nesterov = Given(r, Nesterov) ? r.GetValue(Nesterov) : sgd.Nesterov };
        else if (Given(r, Momentum) || Given(r, Nesterov))
            throw new ArgumentException($"--momentum and --nesterov apply to --optimizer sgd only; the optimizer is {Recipe.Name(optimizer)}");
        if (r.GetValue(LearningRate) is double rate)
            optimizer = optimizer with { LearningRate = rate };
        if (r.GetValue(WeightDecay) is double decay)
            optimizer = optimizer with { WeightDecay = decay };
        return optimizer;
    }

    private LearningRateSchedule ResolveSchedule(ParseResult r, LearningRateSchedule preset)
    {
        string? given = r.GetValue(Schedule)?.ToLowerInvariant();
        if (given is null && !Given(r, StepSize) && !Given(r, Gamma) && !Given(r, MaxLearningRate))
            return preset;
        string name = given ?? Recipe.Name(preset);
        RequireSchedule(r, StepSize, name, "step");
        RequireSchedule(r, Gamma, name, "step", "exponential");
        RequireSchedule(r, MaxLearningRate, name, "onecycle");
        return name switch
        {
            "constant" => new ConstantLR(),
            "step" when (preset as StepLR ?? new StepLR()) is var step =>
                new StepLR(r.GetValue(StepSize) ?? step.StepSize, r.GetValue(Gamma) ?? step.Gamma),
            "exponential" => new ExponentialLR(r.GetValue(Gamma) ?? (preset as ExponentialLR ?? new ExponentialLR()).Gamma),
            "onecycle" => new OneCycleLR(r.GetValue(MaxLearningRate) ?? (preset as OneCycleLR)?.MaxRate ?? Presets.DefaultMaxRate),
            _ => throw new ArgumentException($"unknown schedule '{name}'; choose constant, step, exponential or onecycle"),
        };
    }

    private bool ResolveAveraging(ParseResult r, bool preset)
    {
        if (!Given(r, AverageWeights))
            return Given(r, EmaDecay) || preset;
        if (!r.GetValue(AverageWeights) && Given(r, EmaDecay))
            throw new ArgumentException("--ema-decay sets the weight average that --average-weights false turns off; give one of them");
        return r.GetValue(AverageWeights);
    }

    private static void RequireSchedule(ParseResult r, Option option, string schedule, params string[] schedules)
    {
        if (Given(r, option) && !schedules.Contains(schedule))
            throw new ArgumentException($"{option.Name} applies to --schedule {string.Join(" or ", schedules)}; the schedule is {schedule}");
    }

    /// <summary>Whether <paramref name="option"/> was given on the command line (not just defaulted).</summary>
    private static bool Given(ParseResult r, Option option) => r.GetResult(option) is { Implicit: false };

    /// <summary>A numeric option whose help states its default, from the presets unless <paramref name="show"/> is null (the
    /// description then states it), and that refuses values outside its range when parsed.</summary>
    private static Option<T?> Number<T>(string name, string description, Func<CnnTrainer.Options, string>? show, Func<T, bool> valid,
        string rule) where T : struct
    {
        var option = new Option<T?>(name) { Description = show is null ? description : $"{description} {Presets.Defaults(show)}" };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<T?>() is T value && !valid(value))
                result.AddError($"{name} must be {rule}; got {value}");
        });
        return option;
    }
}
