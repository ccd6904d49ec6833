// VotingEnsembleTransformer.Combine.cs — a voting ensemble made from members that are already fitted, e.g. loaded model files.
namespace DigitsML.Trainers;

public sealed partial class VotingEnsembleTransformer
{
    /// <summary>Combines transformers that are already fitted (for example models loaded with <c>ml.Model.Load</c>) into
    /// one voting ensemble, without fitting anything: what <see cref="VotingEnsembleEstimator.Fit"/> gives, for members
    /// trained separately. The members are checked against <paramref name="inputSchema"/> first: each must add a
    /// <paramref name="scoreColumnName"/> column of probabilities over the same classes, in the same order, as the first.
    /// On success the ensemble owns the members (disposing it disposes them); on failure they stay the caller's.</summary>
    /// <param name="members">The fitted members, in voting order; at least one.</param>
    /// <param name="inputSchema">The schema of the data the ensemble will transform (each member sees it unchanged).</param>
    /// <param name="voting">How the scores are combined; default <see cref="VotingKind.Soft"/> (mean probability).</param>
    /// <param name="scoreColumnName">The score column read from every member and written by the ensemble; default "Score".</param>
    /// <param name="predictedLabelColumnName">The predicted-label column the ensemble writes; default "PredictedLabel".</param>
    /// <exception cref="ArgumentNullException"><paramref name="members"/> or <paramref name="inputSchema"/> is null.</exception>
    /// <exception cref="ArgumentException">There is no member, a member is null, a column name is empty, or both column
    /// names are the same.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="voting"/> is not a <see cref="VotingKind"/>, or a member
    /// does not accept <paramref name="inputSchema"/> (the message names the column).</exception>
    /// <exception cref="InvalidOperationException">A member gives no score column of class probabilities, or scores other
    /// classes (another number, other names or another order) than the first member; the message names the member and
    /// both class lists.</exception>
    public static VotingEnsembleTransformer Combine(IEnumerable<ITransformer> members, DataViewSchema inputSchema,
        VotingKind voting = VotingKind.Soft, string scoreColumnName = DefaultColumnNames.Score,
        string predictedLabelColumnName = DefaultColumnNames.PredictedLabel)
    {
        ArgumentNullException.ThrowIfNull(members);
        ArgumentNullException.ThrowIfNull(inputSchema);
        ArgumentException.ThrowIfNullOrEmpty(scoreColumnName);
        ArgumentException.ThrowIfNullOrEmpty(predictedLabelColumnName);
        if (scoreColumnName == predictedLabelColumnName)
            throw new ArgumentException($"The score and predicted-label columns are both named '{scoreColumnName}'.", nameof(predictedLabelColumnName));
        if (!Enum.IsDefined(voting))
            throw new ArgumentOutOfRangeException(nameof(voting), voting, "Voting must be Soft or Hard.");
        ITransformer[] list = [.. members];
        if (list.Length == 0)
            throw new ArgumentException("A voting ensemble needs at least one member.", nameof(members));
        int missing = Array.FindIndex(list, m => m is null);
        if (missing >= 0)
            throw new ArgumentException($"Ensemble member {missing} is null.", nameof(members));
        var ensemble = new VotingEnsembleTransformer(list, voting, scoreColumnName, predictedLabelColumnName);
        // Binding checks every member's score and classes; nothing is disposed if it throws, so the caller keeps the members.
        ensemble.Bind(inputSchema, [.. list.Select(m => m.GetOutputSchema(inputSchema))]);
        return ensemble;
    }
}
