// VotingEnsembleCombinerTests.cs — the voting arithmetic on small hand-made arrays: averaging, majority and tie-breaking.
using DigitsML.Trainers;

namespace DigitsML.Tests.Pipeline.Ensemble;

public sealed class VotingEnsembleCombinerTests
{
    [Test]
    public void Combine_Soft_AveragesProbabilitiesAndPicksArgMax()
    {
        float[] members =
        [
            0.6f, 0.3f, 0.1f,
            0.1f, 0.5f, 0.4f,
            0.2f, 0.4f, 0.4f,
        ];
        var (score, predicted) = VotingEnsembleCombiner.Combine(VotingKind.Soft, members, 3);
        Assert.That(score, Is.EqualTo(new[] { 0.9f / 3, 1.2f / 3, 0.9f / 3 }).Within(1e-6f));
        Assert.That(predicted, Is.EqualTo(1));
    }

    [Test]
    public void Combine_SoftTie_PicksLowestClass()
    {
        var (_, predicted) = VotingEnsembleCombiner.Combine(VotingKind.Soft, [0.2f, 0.4f, 0.4f, 0.2f, 0.4f, 0.4f], 3);
        Assert.That(predicted, Is.EqualTo(1));
    }

    [Test]
    public void Combine_HardMajority_WinsAgainstMoreConfidentMinority()
    {
        // Two members lean weakly to class 0; one is very sure of class 2, which soft voting would follow.
        float[] members =
        [
            0.40f, 0.30f, 0.30f,
            0.40f, 0.35f, 0.25f,
            0.00f, 0.01f, 0.99f,
        ];
        var (score, predicted) = VotingEnsembleCombiner.Combine(VotingKind.Hard, members, 3);
        Assert.That(predicted, Is.EqualTo(0));
        Assert.That(score, Is.EqualTo(new[] { 2f / 3, 0f, 1f / 3 }).Within(1e-6f));
        Assert.That(score.Sum(), Is.EqualTo(1f).Within(1e-6f));
        Assert.That(VotingEnsembleCombiner.Combine(VotingKind.Soft, members, 3).Predicted, Is.EqualTo(2), "soft voting differs here");
    }

    [Test]
    public void Combine_HardTie_BrokenBySummedProbabilities()
    {
        // Class 0 and class 2 get two votes each; class 2 has the larger summed probability (2.3 vs 1.4).
        float[] members =
        [
            0.50f, 0.20f, 0.30f,
            0.50f, 0.10f, 0.40f,
            0.20f, 0.00f, 0.80f,
            0.20f, 0.00f, 0.80f,
        ];
        var (score, predicted) = VotingEnsembleCombiner.Combine(VotingKind.Hard, members, 3);
        Assert.That(score, Is.EqualTo(new[] { 0.5f, 0f, 0.5f }));
        Assert.That(predicted, Is.EqualTo(2), "the tie goes to the larger summed probability, not the lowest class");
    }

    [Test]
    public void Combine_HardTieWithEqualSums_PicksLowestClass()
    {
        var (_, predicted) = VotingEnsembleCombiner.Combine(VotingKind.Hard, [0.3f, 0.7f, 0.7f, 0.3f], 2);
        Assert.That(predicted, Is.EqualTo(0));
    }
}
