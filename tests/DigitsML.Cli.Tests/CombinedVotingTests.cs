// CombinedVotingTests.cs — what `digits ensemble` saves votes as its members do: a soft vote's Score is the mean of the
// member files' scores, a hard vote predicts by the managed majority rule, and an ensemble file can itself be a member.
namespace DigitsML.Cli.Tests;

[TestFixture]
[NonParallelizable]
public sealed class CombinedVotingTests
{
    private const int Rows = 500;

    private static string Combine(string name, string vote, params string[] members)
    {
        string output = TrainedModels.PathTo(name);
        var result = DigitsTool.Run(["ensemble", .. members, "--vote", vote, "--out", output, "--data", MnistFiles.Directory]);
        Assert.That(result.ExitCode, Is.Zero, result.Error);
        return output;
    }

    private static string[] ThreeMembers => [TrainedModels.Classic, TrainedModels.DigitNet, TrainedModels.SeedNet];

    /// <summary>The managed ensemble's hard vote: each member votes for the arg-max of its scores (the lowest class on a
    /// tie); the class with most votes wins, a tie going to the larger sum of the members' probabilities (added in member
    /// order), then to the lowest class.</summary>
    private static int HardVote(IReadOnlyList<float[]> scores)
    {
        int classes = scores[0].Length;
        var votes = new int[classes];
        var sums = new float[classes];
        foreach (float[] s in scores)
        {
            int best = 0;
            for (int c = 1; c < classes; c++)
                if (s[c] > s[best])
                    best = c;
            votes[best]++;
            for (int c = 0; c < classes; c++)
                sums[c] += s[c];
        }
        int winner = 0;
        for (int c = 1; c < classes; c++)
            if (votes[c] > votes[winner] || (votes[c] == votes[winner] && sums[c] > sums[winner]))
                winner = c;
        return winner;
    }

    [Test]
    public void Ensemble_SoftVote_ScoreIsTheMeanOfTheMemberFilesScores()
    {
        var members = ThreeMembers.Select(m => ModelScores.Of(m, Rows)).ToList();

        var soft = ModelScores.Of(Combine("soft3.zip", "soft", ThreeMembers), Rows);

        for (int row = 0; row < Rows; row++)
        {
            float[] mean = [.. Enumerable.Range(0, 10).Select(c => members.Sum(m => m.Scores[row][c]) / members.Count)];
            Assert.That(soft.Scores[row], Is.EqualTo(mean).Within(1e-5f), $"row {row}");
            Assert.That(soft.Predicted[row], Is.EqualTo((float)Array.IndexOf(mean, mean.Max())), $"row {row}");
        }
    }

    [Test]
    public void Ensemble_HardVote_PredictsByMajorityThenSummedProbability()
    {
        var members = ThreeMembers.Select(m => ModelScores.Of(m, Rows)).ToList();

        var hard = ModelScores.Of(Combine("hard3.zip", "hard", ThreeMembers), Rows);

        int disagreements = 0;
        for (int row = 0; row < Rows; row++)
        {
            var scores = members.Select(m => m.Scores[row]).ToList();
            Assert.That(hard.Predicted[row], Is.EqualTo((float)HardVote(scores)), $"row {row}");
            Assert.That(hard.Scores[row].Sum(), Is.EqualTo(1).Within(1e-5), $"row {row}: the hard Score is a distribution");
            if (members.Select(m => m.Predicted[row]).Distinct().Count() > 1)
                disagreements++;
        }
        // Rows where the members disagree are where majority and tie-break rules show; small models disagree often.
        Assert.That(disagreements, Is.GreaterThan(10));
    }

    [Test]
    public void Ensemble_EnsembleFileAsMember_VotesWithItsOwnScore()
    {
        string pair = Combine("pair.zip", "soft", TrainedModels.Classic, TrainedModels.DigitNet);
        var inner = ModelScores.Of(pair, Rows);
        var seed = ModelScores.Of(TrainedModels.SeedNet, Rows);

        var nested = ModelScores.Of(Combine("nested.zip", "soft", pair, TrainedModels.SeedNet), Rows);

        for (int row = 0; row < Rows; row++)
        {
            float[] mean = [.. Enumerable.Range(0, 10).Select(c => (inner.Scores[row][c] + seed.Scores[row][c]) / 2)];
            Assert.That(nested.Scores[row], Is.EqualTo(mean).Within(1e-5f), $"row {row}");
        }
    }
}
