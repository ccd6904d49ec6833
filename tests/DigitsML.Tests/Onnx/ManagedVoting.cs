// ManagedVoting.cs — what an exported voting graph must give, computed from the members' own forward passes: the
// managed ensemble's combiner (Score, vote shares, PredictedLabel) and the hard-vote distribution written out in doubles.
using DigitsML.Engine;
using DigitsML.Trainers;

namespace DigitsML.Tests.Onnx;

/// <summary>The expected outputs of a voting graph over <see cref="Rows"/> rows of K classes, each (rows × K) flattened.</summary>
internal sealed record ManagedVoting(int Rows, int Classes, float[] SoftScore, float[] VoteShares, float[] HardScore, int[] Predicted)
{
    /// <summary>Runs each member's <see cref="Network.Forward"/> on <paramref name="inputs"/> and combines row by row with
    /// the managed <see cref="VotingEnsembleCombiner"/> (soft score, vote shares and the hard PredictedLabel); the hard
    /// score is ((M + 1)·votes + summed probabilities) normalised, counted here on its own in doubles.</summary>
    public static ManagedVoting Compute(IReadOnlyList<Network> members, float[] inputs, int count)
    {
        int k = members[0].Classes;
        int m = members.Count;
        float[][] probabilities = [.. members.Select(n => n.Forward(inputs, count))];
        var soft = new float[count * k];
        var shares = new float[count * k];
        var hard = new float[count * k];
        var predicted = new int[count];
        var rowScores = new float[m * k];
        for (int row = 0; row < count; row++)
        {
            for (int member = 0; member < m; member++)
                probabilities[member].AsSpan(row * k, k).CopyTo(rowScores.AsSpan(member * k, k));
            VotingEnsembleCombiner.Combine(VotingKind.Soft, rowScores, k).Score.CopyTo(soft, row * k);
            (float[] share, predicted[row]) = VotingEnsembleCombiner.Combine(VotingKind.Hard, rowScores, k);
            share.CopyTo(shares, row * k);

            var tally = new double[k];
            for (int member = 0; member < m; member++)
            {
                var memberRow = rowScores.AsSpan(member * k, k);
                tally[FirstMax(memberRow)] += m + 1;
                for (int c = 0; c < k; c++)
                    tally[c] += memberRow[c];
            }
            double total = tally.Sum();
            for (int c = 0; c < k; c++)
                hard[row * k + c] = (float)(tally[c] / total);
        }
        return new ManagedVoting(count, k, soft, shares, hard, predicted);
    }

    /// <summary>The arg-max of each row of <paramref name="scores"/> (the first maximum), as ML.NET's evaluator reads a score.</summary>
    public int[] ArgMaxRows(float[] scores) => [.. Enumerable.Range(0, Rows).Select(row => FirstMax(scores.AsSpan(row * Classes, Classes)))];

    private static int FirstMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int c = 1; c < values.Length; c++)
            if (values[c] > values[best])
                best = c;
        return best;
    }
}
