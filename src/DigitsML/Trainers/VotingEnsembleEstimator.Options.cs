// VotingEnsembleEstimator.Options.cs — every setting of the voting ensemble, each default stated here once.
using Microsoft.ML;

namespace DigitsML.Trainers;

public sealed partial class VotingEnsembleEstimator
{
    /// <summary>The voting ensemble's settings. Immutable once built; the estimator checks it when created.</summary>
    public sealed class Options
    {
        /// <summary>The members, fitted one after another on the same data: <see cref="CnnTrainer"/>s (architectures and
        /// seeds may differ) or <see cref="VotingEnsembleEstimator"/>s, for a vote of votes. Default none (at least one
        /// is required). All must read the same label and feature columns.</summary>
        public IReadOnlyList<IEstimator<DigitsModel>> Members { get; init; } = [];

        /// <summary>How the members' probabilities are combined; default <see cref="VotingKind.Soft"/> (mean probability).</summary>
        public VotingKind Voting { get; init; } = VotingKind.Soft;
    }
}
