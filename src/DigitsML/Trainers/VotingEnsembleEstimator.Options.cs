// VotingEnsembleEstimator.Options.cs — every setting of the voting ensemble, each default stated here once.
namespace DigitsML.Trainers;

public sealed partial class VotingEnsembleEstimator
{
    /// <summary>The voting ensemble's settings. Immutable once built; the estimator checks it when created.</summary>
    public sealed class Options
    {
        /// <summary>The member CNN trainers, fitted one after another on the same data; default none (at least one is
        /// required). They must read the same label and feature columns; architectures and seeds may differ.</summary>
        public IReadOnlyList<CnnTrainer> Members { get; init; } = [];

        /// <summary>How the members' probabilities are combined; default <see cref="VotingKind.Soft"/> (mean probability).</summary>
        public VotingKind Voting { get; init; } = VotingKind.Soft;
    }
}
