// VotingEnsembleCombineTests.cs — VotingEnsembleTransformer.Combine: members fitted elsewhere voted as one, checked against
// the input schema with clear errors, owned once combined, saved and reloaded like a fitted ensemble.
using DigitsML.Data;
using DigitsML.Trainers;
using DigitsML.Transforms;

namespace DigitsML.Tests.Pipeline.Ensemble;

public sealed class VotingEnsembleCombineTests
{
    public sealed class ScoredRow
    {
        public float Label { get; set; }

        [VectorType(3)]
        public float[] A { get; set; } = [];

        [VectorType(3)]
        public float[] B { get; set; } = [];

        [VectorType(2)]
        public float[] Two { get; set; } = [];
    }

    private static readonly ScoredRow[] rows =
    [
        new() { Label = 0, A = [0.6f, 0.3f, 0.1f], B = [0.2f, 0.7f, 0.1f], Two = [0.5f, 0.5f] },
        new() { Label = 2, A = [0.1f, 0.1f, 0.8f], B = [0.3f, 0.3f, 0.4f], Two = [0.9f, 0.1f] },
    ];

    private static readonly string[] names = ["zero", "one", "two"];

    [Test]
    public void Combine_FittedMembers_VotesAsTheFittedEstimatorDoes()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(rows);
        using var combined = VotingEnsembleTransformer.Combine([new ScoreCopyingMember("A", names), new ScoreCopyingMember("B", names)], data.Schema);
        using var fitted = ml.MulticlassClassification.Trainers.VotingEnsemble(new ScoreCopyingMember("A", names), new ScoreCopyingMember("B", names)).Fit(data);

        Assert.That(combined.Voting, Is.EqualTo(VotingKind.Soft));
        Assert.That(combined.Members, Has.Count.EqualTo(2));
        var expected = PipelineData.ReadAll(fitted.Transform(data), "Score", "PredictedLabel");
        var actual = PipelineData.ReadAll(combined.Transform(data), "Score", "PredictedLabel");
        Assert.That(actual.Select(r => (float[])r["Score"]!), Is.EqualTo(expected.Select(r => (float[])r["Score"]!)));
        Assert.That(actual.Select(r => (uint)r["PredictedLabel"]!), Is.EqualTo(new uint[] { 2, 3 }));
    }

    [Test]
    public void Combine_HardVote_CountsVotes()
    {
        var data = new MLContext().Data.LoadFromEnumerable(rows);
        using var hard = VotingEnsembleTransformer.Combine([new ScoreCopyingMember("A", names), new ScoreCopyingMember("B", names)], data.Schema, VotingKind.Hard);

        var read = PipelineData.ReadAll(hard.Transform(data), "Score");
        Assert.That((float[])read[0]["Score"]!, Is.EqualTo(new[] { 0.5f, 0.5f, 0f }));
        Assert.That((float[])read[1]["Score"]!, Is.EqualTo(new[] { 0f, 0f, 1f }));
    }

    [Test]
    public void Combine_MemberScoringAnotherNumberOfClasses_ThrowsNamingBothAndLeavesMembersToTheCaller()
    {
        var data = new MLContext().Data.LoadFromEnumerable(rows);
        var first = new DisposalCounter(new ScoreCopyingMember("A", names));
        var second = new DisposalCounter(new ScoreCopyingMember("Two", ["zero", "one"]));

        var e = Assert.Throws<InvalidOperationException>(() => VotingEnsembleTransformer.Combine([first, second], data.Schema));

        Assert.That(e!.Message, Does.Contain("member 1").And.Contain("2 classes [zero, one]").And.Contain("3 classes [zero, one, two]"));
        Assert.That(first.Disposals + second.Disposals, Is.Zero, "a refused member stays the caller's to dispose");
    }

    [Test]
    public void Combine_MemberWithOtherClassNames_ThrowsNamingThem()
    {
        var data = new MLContext().Data.LoadFromEnumerable(rows);
        Assert.That(() => VotingEnsembleTransformer.Combine([new ScoreCopyingMember("A", names), new ScoreCopyingMember("B", ["zero", "one", "seven"])], data.Schema),
            Throws.InvalidOperationException.With.Message.Contains("seven").And.Message.Contains("same classes"));
    }

    [Test]
    public void Combine_MemberWithoutScore_ThrowsNamingTheMember()
    {
        var ml = new MLContext();
        var data = ml.Data.LoadFromEnumerable(rows);
        var notAScorer = ml.Transforms.Conversion.MapValueToKey("Label").Fit(data);
        Assert.That(() => VotingEnsembleTransformer.Combine([new ScoreCopyingMember("A", names), notAScorer], data.Schema),
            Throws.InvalidOperationException.With.Message.Contains("member 1 (ValueToKeyMappingTransformer)").And.Message.Contains("'Score'"));
    }

    [Test]
    public void Combine_BadArguments_Throw()
    {
        var schema = new MLContext().Data.LoadFromEnumerable(rows).Schema;
        var a = new ScoreCopyingMember("A", names);
        Assert.Throws<ArgumentNullException>(() => VotingEnsembleTransformer.Combine(null!, schema));
        Assert.Throws<ArgumentNullException>(() => VotingEnsembleTransformer.Combine([a], null!));
        Assert.Throws<ArgumentException>(() => VotingEnsembleTransformer.Combine([], schema));
        Assert.That(() => VotingEnsembleTransformer.Combine([a, null!], schema), Throws.ArgumentException.With.Message.Contains("member 1 is null"));
        Assert.Throws<ArgumentOutOfRangeException>(() => VotingEnsembleTransformer.Combine([a], schema, (VotingKind)7));
        Assert.Throws<ArgumentException>(() => VotingEnsembleTransformer.Combine([a], schema, predictedLabelColumnName: "Score"));
        Assert.That(() => VotingEnsembleTransformer.Combine([new ScoreCopyingMember("Missing", names)], schema), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void Combine_SmallCnnsTrainedApart_OwnsThemAndReloadsWithIdenticalScores()
    {
        var ml = new MLContext(seed: 3);
        var data = ml.Data.TakeRows(PipelineData.MnistTrain, 400);
        var toKey = ml.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: KeyOrdinality.ByValue).Fit(data);
        var keyed = toKey.Transform(data);
        CnnTransformer Train(int seed) => ml.MulticlassClassification.Trainers.Cnn(new CnnTrainer.Options
        {
            Architecture = CnnArchitectures.Mlp300, Epochs = 1, Seed = seed,
        }).Fit(keyed);
        var members = new[] { Train(1), Train(2) };
        using var ensemble = VotingEnsembleTransformer.Combine(members, keyed.Schema);
        using var model = new TransformerChain<ITransformer>(toKey, ensemble);
        string path = Path.Combine(Path.GetTempPath(), $"combine-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(model, data.Schema, path);
            using var loaded = (IDisposable)ml.Model.Load(path, out _);
            var before = PipelineData.ReadAll(model.Transform(data), "Score").Select(r => (float[])r["Score"]!);
            var after = PipelineData.ReadAll(((ITransformer)loaded).Transform(data), "Score").Select(r => (float[])r["Score"]!);
            Assert.That(after, Is.EqualTo(before));
        }
        finally
        {
            File.Delete(path);
        }
        ensemble.Dispose();
        Assert.Throws<ObjectDisposedException>(() => members[0].Transform(keyed), "the ensemble owns and disposed its members");
    }

    /// <summary>Wraps a member and counts how often it is disposed.</summary>
    private sealed class DisposalCounter(ITransformer inner) : ITransformer, IDisposable
    {
        public int Disposals { get; private set; }

        public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => inner.GetOutputSchema(inputSchema);

        public IDataView Transform(IDataView input) => inner.Transform(input);

        public void Dispose() => Disposals++;
    }
}
