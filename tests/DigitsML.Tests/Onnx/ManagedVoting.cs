// ManagedVoting.cs — what an exported voting graph must give, computed here from the members' own forward passes: the
// soft mean, the vote shares, the hard vote's class (most votes, ties by summed probability, then the lowest class) and the
// hard-vote distribution written out in doubles. The test's own reference, independent of the graph's arithmetic.
using DigitsML.Engine;

namespace DigitsML.Tests.Onnx;

/// <summary>The expected outputs of a voting graph over <see cref="Rows"/> rows of K classes, each (rows × K) flattened.</summary>
internal sealed record ManagedVoting(int Rows, int Classes, float[] SoftScore, float[] VoteShares, float[] HardScore, int[] Predicted)
{
    /// <summary>Runs each member's <see cref="Network.Forward"/> on <paramref name="inputs"/> and combines row by row: the soft
    /// score (probabilities summed in member order, then ÷ M, in floats), the vote shares (votes ÷ M), the hard class, and
    /// the hard score ((M + 1)·votes + summed probabilities) normalised, counted in doubles.</summary>
    public static ManagedVoting Compute(IReadOnlyList<Network> members, float[] inputs, int count)
    {
        int k = members[0].Classes;
        int m = members.Count;
        float[][] probabilities = [.. members.Select(n => n.Forward(inputs, count))];
        var soft = new float[count * k];
        var shares = new float[count * k];
        var hard = new float[count * k];
        var predicted = new int[count];
        for (int row = 0; row < count; row++)
        {
            var sums = new float[k];
            var votes = new int[k];
            var tally = new double[k];
            foreach (var member in probabilities)
            {
                var memberRow = member.AsSpan(row * k, k);
                votes[FirstMax(memberRow)]++;
                tally[FirstMax(memberRow)] += m + 1;
                for (int c = 0; c < k; c++)
                {
                    sums[c] += memberRow[c];
                    tally[c] += memberRow[c];
                }
            }
            int best = 0;
            for (int c = 1; c < k; c++)
                if (votes[c] > votes[best] || (votes[c] == votes[best] && sums[c] > sums[best]))
                    best = c;
            predicted[row] = best;
            double total = tally.Sum();
            for (int c = 0; c < k; c++)
            {
                soft[row * k + c] = sums[c] / m;
                shares[row * k + c] = (float)votes[c] / m;
                hard[row * k + c] = (float)(tally[c] / total);
            }
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
