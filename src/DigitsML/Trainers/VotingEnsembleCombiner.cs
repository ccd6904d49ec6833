// VotingEnsembleCombiner.cs — the voting arithmetic of one row: members' probabilities in, the ensemble's Score and class out.
using System.Diagnostics;
using DigitsML.Data;

namespace DigitsML.Trainers;

/// <summary>Combines the <c>Score</c> vectors of M members over K classes. Kept apart from the cursors so the rules
/// (averaging, majority, tie-breaking) can be tested on small hand-made arrays.</summary>
internal static class VotingEnsembleCombiner
{
    /// <summary>Writes the ensemble's score into <paramref name="score"/> and returns the predicted class (0-based).</summary>
    /// <param name="voting">Soft: mean probability, arg-max of it. Hard: vote shares, most votes, ties by summed probability.</param>
    /// <param name="memberScores">Member m's probability of class c at [m·K + c]; (M, K) flattened.</param>
    /// <param name="score">K values, overwritten.</param>
    /// <param name="sums">K values of scratch space for the summed probabilities, overwritten.</param>
    internal static int Combine(VotingKind voting, ReadOnlySpan<float> memberScores, Span<float> score, Span<float> sums)
    {
        int k = score.Length;
        Debug.Assert(k > 0 && sums.Length == k && memberScores.Length % k == 0 && memberScores.Length >= k, "scores are not (M, K)");
        int members = memberScores.Length / k;
        // memberScores: (M, K) -> sums: (K), summed in member order so a saved and a loaded model agree to the bit.
        sums.Clear();
        for (int m = 0; m < members; m++)
        {
            var row = memberScores.Slice(m * k, k);
            for (int c = 0; c < k; c++)
                sums[c] += row[c];
        }
        if (voting == VotingKind.Soft)
        {
            for (int c = 0; c < k; c++)
                score[c] = sums[c] / members;
            return MulticlassEvaluator.ArgMax(score);
        }

        score.Clear();
        for (int m = 0; m < members; m++)
            score[MulticlassEvaluator.ArgMax(memberScores.Slice(m * k, k))] += 1;
        int best = 0;
        for (int c = 1; c < k; c++)
            if (score[c] > score[best] || (score[c] == score[best] && sums[c] > sums[best]))
                best = c;
        for (int c = 0; c < k; c++)
            score[c] /= members;
        return best;
    }

    /// <summary>The same on fresh arrays, for callers that score one row.</summary>
    internal static (float[] Score, int Predicted) Combine(VotingKind voting, ReadOnlySpan<float> memberScores, int classes)
    {
        var score = new float[classes];
        int predicted = Combine(voting, memberScores, score, new float[classes]);
        return (score, predicted);
    }
}
