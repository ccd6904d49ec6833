// TrainingRun.cs — what the training loop is given: the public recipe itself (never a copy of its settings) and the two
// knobs only the engine's own callers set.
using DigitsML.Trainers;

namespace DigitsML.Engine;

/// <summary>A training run: <paramref name="Recipe"/> (checked by <see cref="CnnTrainer.Options.Validate"/> before it
/// gets here), whether the rows are reshuffled every epoch (default true; the golden-value tests turn it off to match a
/// fixed PyTorch order), and the examples per validation forward pass (default 1000; no gradients are kept).</summary>
internal sealed record TrainingRun(CnnTrainer.Options Recipe, bool Shuffle = true, int EvaluationBatchSize = 1000)
{
    /// <summary>A run of <paramref name="recipe"/> with the defaults.</summary>
    public static implicit operator TrainingRun(CnnTrainer.Options recipe) => new(recipe);
}
