// VotingKind.cs — how a VotingEnsembleTransformer combines its members' class probabilities.
namespace DigitsML;

/// <summary>How a voting ensemble turns its members' <c>Score</c> vectors into one.</summary>
public enum VotingKind
{
    /// <summary>The default. <c>Score</c> is the mean of the members' probabilities; <c>PredictedLabel</c> its arg-max
    /// (ties to the lowest class). Keeps each member's confidence, so the score stays a calibrated-looking probability and
    /// log-loss means something.</summary>
    Soft,

    /// <summary>Each member votes for the arg-max of its own score. <c>PredictedLabel</c> is the class with the most votes,
    /// a tie broken by the larger sum of the members' probabilities, then by the lowest class. <c>Score</c> is a
    /// distribution led by the votes, ((M + 1) · votes + summed probabilities) normalised over the classes for M members,
    /// so its arg-max is that same class and ML.NET's evaluators, which read the arg-max of <c>Score</c>, count what
    /// <c>PredictedLabel</c> says; every class keeps a probability above zero, so log-loss stays finite.</summary>
    Hard,
}
