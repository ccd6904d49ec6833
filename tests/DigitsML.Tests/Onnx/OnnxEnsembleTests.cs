// OnnxEnsembleTests.cs — a voting ensemble exported as ONE ONNX graph scores in ONNX Runtime as ManagedVoting (the tests'
// own reference) combines its members' own forward passes: soft and hard votes, tie-breaks, and the members it refuses.
using DigitsML.Engine;
using DigitsML.Networks;
using DigitsML.Onnx;
using DigitsML.Onnx.Graph;
using DigitsML.Tests.Engine;
using DigitsML.Trainers;
using Microsoft.ML.OnnxRuntime;

namespace DigitsML.Tests.Onnx;

[TestFixture]
public sealed class OnnxEnsembleTests
{
    private const double Tolerance = 1e-5;
    private static readonly OnnxExportOptions WithVotes = new() { VotesName = "Votes" };

    private readonly List<Network> networks = [];

    [TearDown]
    public void DisposeNetworks()
    {
        networks.ForEach(n => n.Dispose());
        networks.Clear();
    }

    private Network Create(NetworkDefinition definition, ulong seed)
    {
        var network = Network.Create(definition, seed: seed);
        networks.Add(network);
        OnnxFixtures.RandomizeBatchNorm(network, seed: (int)seed + 1);
        return network;
    }

    /// <summary>Three different architectures, seeded: DigitNet (with BatchNorm), SeedNet, PyTorchExampleClassic.</summary>
    private Network[] ThreeMembers() =>
        [Create(CnnArchitectures.DigitNet, 101), Create(CnnArchitectures.SeedNet, 102), Create(CnnArchitectures.PyTorchExampleClassic, 103)];

    [TestCase(VotingKind.Soft)]
    [TestCase(VotingKind.Hard)]
    public void EnsembleToBytes_ThreeArchitectures_OnnxRuntimeScoresAsTheReferenceVote(VotingKind voting)
    {
        Network[] members = ThreeMembers();
        float[] inputs = OnnxFixtures.RandomInputs(8, TensorShape.Mnist, seed: 104);

        var outputs = OnnxFixtures.Score(OnnxExport.EnsembleToBytes(members, voting, WithVotes), inputs, 8, TensorShape.Mnist);

        var expected = ManagedVoting.Compute(members, inputs, 8);
        EngineFixtures.AssertClose(outputs["Score"], voting == VotingKind.Soft ? expected.SoftScore : expected.HardScore, Tolerance,
            $"{voting} Score");
        EngineFixtures.AssertClose(outputs["Votes"], expected.VoteShares, 0, "vote shares");
        if (voting == VotingKind.Hard)
            Assert.That(expected.ArgMaxRows(outputs["Score"]), Is.EqualTo(expected.Predicted), "arg-max of Score is the hard vote's class");
        AssertDistributions(outputs["Score"], 10);
    }

    [Test]
    public void EnsembleToBytes_SoftWithoutVotes_HasScoreOnlyAndNoVotingNodes()
    {
        Network[] members = ThreeMembers();

        var model = ModelProto.Parser.ParseFrom(OnnxExport.EnsembleToBytes(members, VotingKind.Soft));

        Assert.That(model.Graph.Output.Select(o => o.Name), Is.EqualTo(new[] { "Score" }));
        Assert.That(model.Graph.Node.Select(n => n.OpType), Does.Not.Contain("ArgMax").And.Not.Contain("OneHot"));
        Assert.That(model.Graph.Node.Count(n => n.OpType == "Softmax"), Is.EqualTo(3));
    }

    /// <summary>A network over (4) inputs whose probabilities do not depend on the input: zero weights, and the bias
    /// the log of <paramref name="probabilities"/> (10 classes, the rest sharing what is left), so its vote is chosen.</summary>
    private Network Fixed(params (int Class, double P)[] probabilities)
    {
        var network = Network.Create(new NetworkDefinition("Fixed", [new Flatten(), new Linear(10)], TensorShape.Vector(4)), seed: 1);
        networks.Add(network);
        double rest = (1 - probabilities.Sum(p => p.P)) / (10 - probabilities.Length);
        var bias = Enumerable.Repeat((float)Math.Log(rest), 10).ToArray();
        foreach (var (c, p) in probabilities)
            bias[c] = (float)Math.Log(p);
        network.SetState(network.GetState().Select(t => t with { Data = t.Name == "1.bias" ? bias : new float[t.Data.Length] }).ToList());
        return network;
    }

    private static (float[] Score, float[] Votes, ManagedVoting Expected) ScoreFixed(Network[] members)
    {
        float[] inputs = OnnxFixtures.RandomInputs(2, TensorShape.Vector(4), seed: 5);
        var outputs = OnnxFixtures.Score(OnnxExport.EnsembleToBytes(members, VotingKind.Hard, WithVotes), inputs, 2, TensorShape.Vector(4));
        return (outputs["Score"], outputs["Votes"], ManagedVoting.Compute(members, inputs, 2));
    }

    [Test]
    public void EnsembleToBytes_HardVoteTied_GoesToTheLargerSummedProbabilityNotTheLowerClass()
    {
        // One vote each for classes 2 and 5; class 5's summed probability (0.3 + 0.9) beats class 2's (0.6 + ~0).
        Network[] members = [Fixed((2, 0.6), (5, 0.3)), Fixed((5, 0.9))];

        var (score, votes, expected) = ScoreFixed(members);

        Assert.That(expected.Predicted, Is.EqualTo(new[] { 5, 5 }), "the reference breaks the tie by summed probability");
        Assert.That(expected.ArgMaxRows(score), Is.EqualTo(new[] { 5, 5 }), "so does the graph's Score");
        Assert.That(expected.ArgMaxRows(votes), Is.EqualTo(new[] { 2, 2 }), "vote shares alone tie, and their arg-max is the lower class");
        Assert.That(votes[2], Is.EqualTo(0.5f));
        Assert.That(votes[5], Is.EqualTo(0.5f));
        EngineFixtures.AssertClose(score, expected.HardScore, Tolerance, "tied hard Score");
        AssertDistributions(score, 10);
    }

    [Test]
    public void EnsembleToBytes_HardVote_OneMoreVoteOutweighsAnyProbability()
    {
        // Two lukewarm votes for class 1 (0.35 each) against one near-certain vote for class 7 (0.99): class 7 has the larger
        // summed probability, class 1 the votes.
        Network[] members = [Fixed((1, 0.35), (7, 0.3)), Fixed((1, 0.35), (7, 0.3)), Fixed((7, 0.99))];

        var (score, _, expected) = ScoreFixed(members);

        Assert.That(expected.Predicted, Is.EqualTo(new[] { 1, 1 }));
        Assert.That(expected.ArgMaxRows(score), Is.EqualTo(new[] { 1, 1 }));
        EngineFixtures.AssertClose(score, expected.HardScore, Tolerance, "majority hard Score");
    }

    [Test]
    public void EnsembleToBytes_MemberWithTiedProbabilities_VotesForItsLowerClass()
    {
        // Member 0 is torn between classes 3 and 4 (equal logits, so equal probabilities) and votes 3, as an
        // arg-max does; member 1 votes 4. The summed probabilities then favour 4.
        Network[] members = [Fixed((3, 0.4), (4, 0.4)), Fixed((4, 0.5), (3, 0.45))];

        var (score, votes, expected) = ScoreFixed(members);

        Assert.That(votes[3], Is.EqualTo(0.5f), "member 0 votes for class 3");
        Assert.That(votes[4], Is.EqualTo(0.5f));
        Assert.That(expected.ArgMaxRows(score), Is.EqualTo(expected.Predicted));
        Assert.That(expected.Predicted, Is.EqualTo(new[] { 4, 4 }));
        EngineFixtures.AssertClose(votes, expected.VoteShares, 0, "vote shares");
    }

    [Test]
    public void EnsembleToBytes_OneMember_SoftIsThatMembersScore()
    {
        Network member = Create(CnnArchitectures.SeedNet, 111);
        float[] inputs = OnnxFixtures.RandomInputs(3, TensorShape.Mnist, seed: 112);

        var score = OnnxFixtures.Score(OnnxExport.EnsembleToBytes([member], VotingKind.Soft), inputs, 3, TensorShape.Mnist)["Score"];

        EngineFixtures.AssertClose(score, member.Forward(inputs, 3), Tolerance, "one-member ensemble");
    }

    [Test]
    public void EnsembleToBytes_ThreeMembers_PrefixesEachMembersInitializersAndNodes()
    {
        Network[] members = ThreeMembers();

        var model = ModelProto.Parser.ParseFrom(OnnxExport.EnsembleToBytes(members, VotingKind.Hard));

        Assert.That(model.Graph.Name, Is.EqualTo("VotingEnsemble"));
        Assert.That(model.Graph.Input.Select(i => i.Name), Is.EqualTo(new[] { "Features" }));
        Assert.That(model.Graph.Output.Select(o => o.Name), Is.EqualTo(new[] { "Score" }));
        Assert.That(model.OpsetImport.Select(o => (o.Domain, o.Version)), Is.EqualTo(new[] { ("", 17L) }));
        var weights = model.Graph.Initializer.Where(t => t.Name.Contains(".weight") || t.Name.Contains(".bias") || t.Name.Contains(".running_"));
        var expected = members.SelectMany((n, m) => n.GetState().Select(t => $"member{m}.{t.Name}"));
        Assert.That(weights.Select(t => t.Name), Is.EquivalentTo(expected));
        Assert.That(model.Graph.Node.Where(n => n.OpType == "Softmax").Select(n => n.Name),
            Is.EqualTo(new[] { "member0.Softmax", "member1.Softmax", "member2.Softmax" }));
        Assert.That(model.Graph.Node.Where(n => n.OpType == "Conv").Select(n => n.Name), Has.All.StartWith("member"));
        Assert.That(model.DocString, Does.Contain("DigitNet, SeedNet, PyTorchExampleClassic"));
    }

    [Test]
    public void EnsembleToBytes_SameMembersTwice_GivesTheSameBytesAndSaveWritesThem()
    {
        Network[] members = ThreeMembers();
        string folder = Directory.CreateTempSubdirectory("digitsml-ensemble-").FullName;
        try
        {
            byte[] bytes = OnnxExport.EnsembleToBytes(members, VotingKind.Hard);
            string path = Path.Combine(folder, "ensemble.onnx");

            OnnxExport.SaveEnsemble(members, VotingKind.Hard, path);

            Assert.That(OnnxExport.EnsembleToBytes(members, VotingKind.Hard), Is.EqualTo(bytes));
            Assert.That(File.ReadAllBytes(path), Is.EqualTo(bytes));
            Assert.That(Directory.GetFiles(folder), Is.EqualTo(new[] { path }), "no temporary file is left");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public void EnsembleToBytes_MembersWithDifferentInputShapes_ThrowsNamingTheMemberAndShapes()
    {
        Network[] members = [Create(CnnArchitectures.SeedNet, 121), Create(OnnxExportTests.FlatInput, 122)];

        var e = Assert.Throws<ArgumentException>(() => OnnxExport.EnsembleToBytes(members, VotingKind.Soft));

        Assert.That(e!.ParamName, Is.EqualTo("members"));
        Assert.That(e.Message, Does.Contain("member 1 (FlatInput)").And.Contain("(20)").And.Contain("(1, 28, 28)"));
    }

    [Test]
    public void EnsembleToBytes_MembersWithDifferentClassCounts_ThrowsNamingTheMemberAndCounts()
    {
        var fourClasses = new NetworkDefinition("FourClasses", [new Flatten(), new Linear(4)]);
        Network[] members = [Create(CnnArchitectures.Mlp300, 131), Create(CnnArchitectures.SeedNet, 132), Create(fourClasses, 133)];

        var e = Assert.Throws<ArgumentException>(() => OnnxExport.EnsembleToBytes(members, VotingKind.Hard));

        Assert.That(e!.Message, Does.Contain("member 2 (FourClasses) gives 4 classes").And.Contain("gives 10"));
    }

    [Test]
    public void EnsembleToBytes_NoMembersOrANullMember_ThrowsArgumentException()
    {
        Network member = Create(CnnArchitectures.SeedNet, 141);

        var none = Assert.Throws<ArgumentException>(() => OnnxExport.EnsembleToBytes([], VotingKind.Soft));
        var withNull = Assert.Throws<ArgumentException>(() => OnnxExport.EnsembleToBytes([member, null!], VotingKind.Soft));

        Assert.That(none!.Message, Does.Contain("at least one member"));
        Assert.That(withNull!.Message, Does.Contain("member 1 is null"));
        Assert.Throws<ArgumentNullException>(() => OnnxExport.EnsembleToBytes(null!, VotingKind.Soft));
    }

    [Test]
    public void EnsembleToBytes_UnknownVotingKind_ThrowsArgumentOutOfRange()
    {
        Network member = Create(CnnArchitectures.SeedNet, 151);

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => OnnxExport.EnsembleToBytes([member], (VotingKind)7));

        Assert.That(e!.ParamName, Is.EqualTo("voting"));
    }

    [Test]
    public void EnsembleToBytes_LogitsAsked_ThrowsNamingLogitsName()
    {
        Network member = Create(CnnArchitectures.SeedNet, 161);

        var e = Assert.Throws<ArgumentException>(
            () => OnnxExport.EnsembleToBytes([member], VotingKind.Soft, new OnnxExportOptions { LogitsName = "Logits" }));

        Assert.That(e!.ParamName, Is.EqualTo(nameof(OnnxExportOptions.LogitsName)));
    }

    [Test]
    public void EnsembleToBytes_DisposedMember_ThrowsObjectDisposedException()
    {
        Network alive = Create(CnnArchitectures.SeedNet, 171);
        var disposed = Network.Create(CnnArchitectures.SeedNet, seed: 172);
        disposed.Dispose();

        Assert.Throws<ObjectDisposedException>(() => OnnxExport.EnsembleToBytes([alive, disposed], VotingKind.Hard));
    }

    [Test]
    public void ToBytes_VotesAskedOfOneNetwork_ThrowsNamingVotesName()
    {
        Network network = Create(CnnArchitectures.SeedNet, 181);

        var e = Assert.Throws<ArgumentException>(() => OnnxExport.ToBytes(network, WithVotes));

        Assert.That(e!.ParamName, Is.EqualTo(nameof(OnnxExportOptions.VotesName)));
    }

    [Test]
    public void EnsembleToBytes_OneSession_TakesBatchesOfDifferentSizes()
    {
        Network[] members = ThreeMembers();
        using var session = new InferenceSession(OnnxExport.EnsembleToBytes(members, VotingKind.Hard));

        foreach (int count in new[] { 1, 5 })
        {
            float[] inputs = OnnxFixtures.RandomInputs(count, TensorShape.Mnist, seed: 190 + count);
            float[] score = OnnxFixtures.Score(session, inputs, count, TensorShape.Mnist)["Score"];
            EngineFixtures.AssertClose(score, ManagedVoting.Compute(members, inputs, count).HardScore, Tolerance, $"batch of {count}");
        }
    }

    /// <summary>Every row of <paramref name="scores"/> is a distribution: non-negative, summing to 1 within 1e-6.</summary>
    private static void AssertDistributions(float[] scores, int classes)
    {
        for (int row = 0; row < scores.Length / classes; row++)
        {
            var values = scores.AsSpan(row * classes, classes).ToArray();
            Assert.That(values, Has.All.GreaterThanOrEqualTo(0f), $"row {row}");
            Assert.That(values.Sum(v => (double)v), Is.EqualTo(1).Within(1e-6), $"row {row} sums to 1");
        }
    }
}
