// DefaultRecipe.cs — the model and recipe `digits train` and build/run.sh use unless told otherwise.
using DigitsML.Engine;
using DigitsML.Trainers;

namespace DigitsML.Cli;

internal static class DefaultRecipe
{
    public static NetworkDefinition Architecture => CnnArchitectures.PyTorchExample;
    public const string OptimizerName = "adadelta";
    public const string ScheduleName = "step";
    public const double MaxRate = 0.01;

    public static TrainingOptions Options { get; } = new()
    {
        Epochs = 3,
        BatchSize = 64,
        Optimizer = new AdadeltaOptimizer { LearningRate = 1.0 },
        Schedule = new StepLR(1, 0.7),
    };
}
