// DigitsTrainersCatalog.cs — ml.MulticlassClassification.Trainers.Cnn and .VotingEnsemble: DigitsML's trainers as
// extensions of ML.NET's catalogs, beside ML.NET's own trainers.
using DigitsML.Engine;
using DigitsML.Networks;
using DigitsML.Trainers;
using Microsoft.ML;

namespace DigitsML;

/// <summary>DigitsML's trainers and ensemble metrics, reached from <c>ml.MulticlassClassification</c>.</summary>
public static class DigitsTrainersCatalog
{
    /// <summary>A CNN trainer with the common settings (ML.NET's pair of overloads: this one and one taking
    /// <see cref="CnnTrainer.Options"/>).</summary>
    /// <param name="catalog"><c>ml.MulticlassClassification.Trainers</c>.</param>
    /// <param name="labelColumnName">The label, a key (from <c>MapValueToKey</c>); default "Label".</param>
    /// <param name="featureColumnName">The features, a known-size vector of Single in [0, 1]; default "Features".</param>
    /// <param name="architecture">The network; default <see cref="CnnArchitectures.SeedNet"/>.</param>
    /// <param name="epochs">Passes over the data; default 10.</param>
    /// <param name="batchSize">Examples per step; default 64.</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range; the message names it.</exception>
    public static CnnTrainer Cnn(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", NetworkDefinition? architecture = null,
        int epochs = 10, int batchSize = 64)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new CnnTrainer(new CnnTrainer.Options
        {
            LabelColumnName = labelColumnName,
            FeatureColumnName = featureColumnName,
            Architecture = architecture ?? CnnArchitectures.SeedNet,
            Epochs = epochs,
            BatchSize = batchSize,
        });
    }

    /// <summary>A CNN trainer with every setting: the whole recipe, the seed and the device.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range; the message names it.</exception>
    public static CnnTrainer Cnn(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, CnnTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new CnnTrainer(options);
    }

    /// <summary>A voting ensemble of CNN trainers (or of other voting ensembles), exported and scored as one ONNX graph.</summary>
    /// <param name="catalog"><c>ml.MulticlassClassification.Trainers</c>.</param>
    /// <param name="members">The members, at least one, reading the same columns: <see cref="CnnTrainer"/>s or
    /// <see cref="VotingEnsembleEstimator"/>s.</param>
    /// <param name="voting">Soft (mean probability, the default) or hard (majority, ties by summed probability).</param>
    public static VotingEnsembleEstimator VotingEnsemble(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        IEnumerable<IEstimator<DigitsModel>> members, VotingKind voting = VotingKind.Soft)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(members);
        return new VotingEnsembleEstimator(new VotingEnsembleEstimator.Options { Members = [.. members], Voting = voting });
    }

    /// <summary>A voting ensemble of <paramref name="members"/> networks trained with one recipe, member i with seed
    /// <c>recipe.Seed + i</c> (so with other initial weights, batches and augmentation): once a recipe has converged, the
    /// cheapest way to more accuracy (<see cref="TrainingPresets.Record9965In1Hour"/>). They are fitted one after another.</summary>
    /// <param name="catalog"><c>ml.MulticlassClassification.Trainers</c>.</param>
    /// <param name="recipe">Every member's recipe; its seed is the first member's.</param>
    /// <param name="members">How many networks, at least 1.</param>
    /// <param name="voting">Soft (mean probability, the default) or hard (majority, ties by summed probability).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="members"/> is less than 1, or a setting of the recipe
    /// is out of range (the message names it).</exception>
    /// <exception cref="ArgumentException">The recipe writes a checkpoint and there is more than one member: every member
    /// would write its state over the others'.</exception>
    public static VotingEnsembleEstimator VotingEnsemble(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        CnnTrainer.Options recipe, int members, VotingKind voting = VotingKind.Soft)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        ArgumentOutOfRangeException.ThrowIfLessThan(members, 1);
        if (members > 1 && recipe.CheckpointPath is not null)
            throw new ArgumentException($"The recipe's CheckpointPath ({recipe.CheckpointPath}) holds one network's state, and " +
                                        $"{members} members would each write it: train them with one Cnn trainer and a checkpoint each.", nameof(recipe));
        return catalog.VotingEnsemble(Enumerable.Range(0, members).Select(i => catalog.Cnn(recipe with { Seed = recipe.Seed + i })), voting);
    }

    /// <summary>ML.NET's metrics of the voting ensemble in <paramref name="model"/> and of each of its members, on
    /// <paramref name="data"/> (the model's input, e.g. the raw test set). Needs the fitted model, not one loaded from a
    /// file (which keeps only the voting graph).</summary>
    /// <exception cref="ArgumentException"><paramref name="model"/> holds no fitted voting ensemble.</exception>
    public static VotingEnsembleMetrics EvaluateVotingEnsemble(this MulticlassClassificationCatalog catalog, ITransformer model, IDataView data,
        string labelColumnName = "Label")
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return VotingEnsembleMetrics.Evaluate(catalog, model, data, labelColumnName);
    }
}
