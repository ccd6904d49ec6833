// OnnxGraphsTests.cs — the graphs of saved models without the training package: copied out of a zip batched, and voted
// as one graph (OnnxGraphs.Combine), checked by scoring them with ONNX Runtime.
using DigitsML.Testing;
using DigitsML.Networks;

namespace DigitsML.Scoring.Tests.Onnx;

[TestFixture]
public sealed class OnnxGraphsTests
{
    private TemporaryDirectory folder = null!;

    [SetUp]
    public void CreateFolder() => folder = new TemporaryDirectory();

    [TearDown]
    public void RemoveFolder() => folder.Dispose();

    [Test]
    public void SaveFromModelFile_SavedModel_WritesTheBatchedGraphThatScoresMnist()
    {
        string path = Path.Combine(folder.Path, "model.onnx");

        OnnxGraphs.SaveFromModelFile(SavedGraphs.ModelPath, path);

        Assert.That(File.ReadAllBytes(path), Is.EqualTo(SavedGraphs.Batched));
        var scores = SavedGraphs.Score(File.ReadAllBytes(path));
        Assert.That(scores.Select(s => s.Sum()), Is.All.EqualTo(1f).Within(1e-4f), "probabilities");
        var labels = IdxLabels();
        int right = scores.Select((s, i) => SavedGraphs.ArgMax(s) == labels[i] ? 1 : 0).Sum();
        Assert.That(right, Is.GreaterThanOrEqualTo(SavedGraphs.Rows * 97 / 100), "a trained model, batched right");
        Assert.That(Directory.GetFiles(folder.Path), Has.Length.EqualTo(1), "no temporary file left");
    }

    [Test]
    public void SaveFromModelFile_NotAModelZip_ThrowsDataFormatExceptionNamingIt()
    {
        string notZip = Path.Combine(folder.Path, "notes.zip");
        File.WriteAllText(notZip, "not a zip");

        var e = Assert.Throws<DataFormatException>(() => OnnxGraphs.SaveFromModelFile(notZip, Path.Combine(folder.Path, "m.onnx")));

        Assert.That(e!.FilePath, Is.EqualTo(notZip));
    }

    [Test]
    public void ToBatched_BatchedGraph_ReturnedUnchanged()
        => Assert.That(OnnxGraphs.ToBatched(SavedGraphs.Batched), Is.EqualTo(SavedGraphs.Batched));

    [Test]
    public void Combine_SoftVoteOfOneGraphTwice_ScoresAsTheGraph()
    {
        byte[] pair = OnnxGraphs.Combine([SavedGraphs.Batched, SavedGraphs.Batched], VotingKind.Soft);

        var alone = SavedGraphs.Score(SavedGraphs.Batched);
        var voted = SavedGraphs.Score(pair);

        for (int r = 0; r < SavedGraphs.Rows; r++)
            Assert.That(voted[r], Is.EqualTo(alone[r]).Within(1e-6f), $"row {r}: the mean of two equal distributions");
    }

    [Test]
    public void Combine_HardVote_VotesLeadAndTheVoteShareIsOne()
    {
        byte[] pair = OnnxGraphs.Combine([SavedGraphs.Batched, SavedGraphs.Batched], VotingKind.Hard, new OnnxExportOptions { VotesName = "Votes" });

        var alone = SavedGraphs.Score(SavedGraphs.Batched);
        var voted = SavedGraphs.Score(pair);
        var votes = SavedGraphs.Score(pair, "Votes");

        for (int r = 0; r < SavedGraphs.Rows; r++)
        {
            int best = SavedGraphs.ArgMax(alone[r]);
            Assert.That(SavedGraphs.ArgMax(voted[r]), Is.EqualTo(best), $"row {r}");
            // Both ballots for one class: (M + 1)·2 + 2p over M·(M + 2) = 8 gives at least 6/8 to it.
            Assert.That(voted[r][best], Is.GreaterThanOrEqualTo(0.75f - 1e-6f), $"row {r}");
            Assert.That(votes[r][best], Is.EqualTo(1f), $"row {r}: both members vote for it");
        }
    }

    [Test]
    public void Combine_MemberNotOnnx_ThrowsArgumentExceptionNamingTheMember()
    {
        var e = Assert.Throws<ArgumentException>(() => OnnxGraphs.Combine([SavedGraphs.Batched, [1, 2, 3]], VotingKind.Soft));

        Assert.That(e!.Message, Does.Contain("Ensemble member 1"));
    }

    [Test]
    public void Combine_MetadataEntries_ReadBackByTrainingMetadata()
    {
        var history = new EpochProgress(1, 1, 0.5, 0.9, 0.4, 0.91, 0.01, 2.5) { Phases = new TrainingPhases(1, 0, 0.5, 0.5, 0.2, 0.1, 0, 0.2) };
        var entries = TrainingMetadata.Entries([[history]], ["QuickNet: 3 layers"]);

        byte[] graph = OnnxGraphs.Combine([SavedGraphs.Batched], VotingKind.Soft, new OnnxExportOptions { Metadata = entries });
        var metadata = TrainingMetadata.FromOnnx(graph);

        Assert.That(metadata.Histories.Single().Single(), Is.EqualTo(history));
        Assert.That(metadata.Networks, Is.EqualTo(new[] { "QuickNet: 3 layers" }));
        Assert.That(metadata.FeatureMaps?.Value, Does.StartWith("member0."), "member 0's maps, under its prefix");
    }

    [Test]
    public void Combine_SavedMembers_KeepEveryMembersHistory()
    {
        var one = TrainingMetadata.FromOnnx(SavedGraphs.Batched);

        var both = TrainingMetadata.FromOnnx(OnnxGraphs.Combine([SavedGraphs.Batched, SavedGraphs.Batched], VotingKind.Soft));

        Assert.That(one.Histories, Has.Count.EqualTo(1).And.Some.Not.Empty, "the fixture carries its training history");
        Assert.That(both.Histories, Has.Count.EqualTo(2));
        Assert.That(both.Histories[1], Is.EqualTo(one.Histories[0]));
        Assert.That(both.Networks, Is.EqualTo(one.Networks.Concat(one.Networks)));
    }

    private static byte[] IdxLabels() => DigitsML.Data.IdxFile.ReadLabels(TestData.TestLabels);
}
