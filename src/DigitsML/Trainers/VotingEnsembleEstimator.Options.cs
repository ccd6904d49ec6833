// VotingEnsembleEstimator.Options.cs — every setting of the voting ensemble, each default stated here once.
namespace DigitsML.Trainers;

public sealed partial class VotingEnsembleEstimator
{
    /// <summary>The voting ensemble's settings. Immutable once built; the estimator checks it when created.</summary>
    public sealed class Options
    {
        /// <summary>The member estimators, fitted one after another on the same data; default none (at least one is
        /// required). Each fitted member must add a <see cref="ScoreColumnName"/> column of class probabilities over the
        /// same classes in the same order: CNN trainers of any architecture or seed, chains ending in one, or another
        /// <see cref="VotingEnsembleEstimator"/>.</summary>
        public IReadOnlyList<IEstimator<ITransformer>> Members { get; init; } = [];

        /// <summary>How the members' scores are combined; default <see cref="VotingKind.Soft"/> (mean probability).</summary>
        public VotingKind Voting { get; init; } = VotingKind.Soft;

        /// <summary>The score column read from every member and written by the ensemble; default "Score".</summary>
        public string ScoreColumnName { get; init; } = DefaultColumnNames.Score;

        /// <summary>The predicted-label column the ensemble writes (a key over the classes); default "PredictedLabel".</summary>
        public string PredictedLabelColumnName { get; init; } = DefaultColumnNames.PredictedLabel;
    }
}
