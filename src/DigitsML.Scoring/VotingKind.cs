// VotingKind.cs — how a VotingEnsembleTransformer combines its members' class probabilities.
namespace DigitsML;

/// <summary>How a voting ensemble turns its members' <c>Score</c> vectors into one.</summary>
public enum VotingKind
{
    /// <summary>The default. <c>Score</c> is the mean of the members' probabilities; <c>PredictedLabel</c> its arg-max
    /// (ties to the lowest class). Keeps each member's confidence, so the score stays a calibrated-looking probability and
    /// log-loss means something.</summary>
    Soft,

    /// <summary>Each member votes for the arg-max of its own score. <c>Score</c> is each class's share of the votes
    /// (votes ÷ members, so it still sums to 1); <c>PredictedLabel</c> is the class with the most votes, a tie broken by
    /// the larger sum of the members' probabilities, then by the lowest class. Evaluators read the arg-max of <c>Score</c>,
    /// which on a tied vote is the lowest tied class rather than the tie-broken <c>PredictedLabel</c>.</summary>
    Hard,
}
