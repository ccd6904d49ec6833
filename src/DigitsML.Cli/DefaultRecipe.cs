// DefaultRecipe.cs — the model and recipe `digits train` and build/run.sh use unless told otherwise.
using DigitsML.Engine;
using DigitsML.Trainers;

namespace DigitsML.Cli;

internal static class DefaultRecipe
{
    public static NetworkDefinition Architecture => CnnArchitectures.DigitNet;
    public const string OptimizerName = "adam";
    public const string ScheduleName = "onecycle";
    public const double MaxRate = 0.005;

    public static TrainingOptions Options { get; } = new()
    {
        Epochs = 4,
        BatchSize = 128,
        Optimizer = new AdamOptimizer(),
        Schedule = new OneCycleLR(MaxRate),
    };
}
