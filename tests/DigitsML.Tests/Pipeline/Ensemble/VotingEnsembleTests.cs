// VotingEnsembleTests.cs — the voting ensemble estimator through the pipeline: votes on hand-made member scores, class
// checks, disposal, per-member metrics, and conformance (save/load included) of a nested ensemble of small CNNs.
using DigitsML.Data;
using DigitsML.Trainers;
using DigitsML.Transforms;

namespace DigitsML.Tests.Pipeline.Ensemble;

public sealed class VotingEnsembleTests
{
    public sealed class ScoredRow
    {
        public float Label { get; set; }

        [VectorType(3)]
        public float[] A { get; set; } = [];

        [VectorType(3)]
        public float[] B { get; set; } = [];

        [VectorType(3)]
        public float[] C { get; set; } = [];
    }

    // Row 0: A and B vote 0, C votes 2 with confidence (hard: 0, soft: 2).
    // Row 1: a three-way tie of votes; class 2 has the largest summed probability (hard: 2, soft: 2).
    // Row 2: all vote 1.
    private static readonly ScoredRow[] rows =
    [
        new() { Label = 0, A = [0.40f, 0.30f, 0.30f], B = [0.40f, 0.35f, 0.25f], C = [0.00f, 0.01f, 0.99f] },
        new() { Label = 2, A = [0.50f, 0.10f, 0.40f], B = [0.05f, 0.50f, 0.45f], C = [0.30f, 0.20f, 0.50f] },
        new() { Label = 1, A = [0.10f, 0.80f, 0.10f], B = [0.20f, 0.70f, 0.10f], C = [0.30f, 0.60f, 0.10f] },
    ];

    private static readonly string[] names = ["zero", "one", "two"];

    private static ScoreCopyingMember Member(string column) => new(column, names);

    [Test]
    public void Transform_HardVote_MajorityWithTieBrokenBySummedProbabilities()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(rows);
        using var model = ml.MulticlassClassification.Trainers.VotingEnsemble(new VotingEnsembleEstimator.Options
        {
            Members = [Member("A"), Member("B"), Member("C")],
            Voting = VotingKind.Hard,
        }).Fit(data);
        var read = PipelineData.ReadAll(model.Transform(data), "Score", "PredictedLabel");
        Assert.That(read.Select(r => (uint)r["PredictedLabel"]!), Is.EqualTo(new uint[] { 1, 3, 2 }), "keys are class + 1");
        Assert.That((float[])read[0]["Score"]!, Is.EqualTo(new[] { 2f / 3, 0, 1f / 3 }).Within(1e-6f));
        Assert.That((float[])read[1]["Score"]!, Is.EqualTo(new[] { 1f / 3, 1f / 3, 1f / 3 }).Within(1e-6f));
        Assert.That((float[])read[2]["Score"]!, Is.EqualTo(new[] { 0f, 1, 0 }));
    }

    [Test]
    public void Transform_SoftVoteByDefault_MeanOfMembersWithSlotNames()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(rows);
        var estimator = ml.MulticlassClassification.Trainers.VotingEnsemble(Member("A"), Member("B"), Member("C"));
        Assert.That(estimator.Voting, Is.EqualTo(VotingKind.Soft));
        using var model = estimator.Fit(data);
        var scored = model.Transform(data);
        VBuffer<ReadOnlyMemory<char>> slots = default;
        scored.Schema["Score"].GetSlotNames(ref slots);
        Assert.That(slots.DenseValues().Select(s => s.ToString()), Is.EqualTo(names));
        Assert.That(scored.Schema["PredictedLabel"].Type, Is.EqualTo(new KeyDataViewType(typeof(uint), 3)));
        var read = PipelineData.ReadAll(scored, "Score", "PredictedLabel");
        for (int i = 0; i < rows.Length; i++)
        {
            var mean = Enumerable.Range(0, 3).Select(c => (rows[i].A[c] + rows[i].B[c] + rows[i].C[c]) / 3).ToArray();
            Assert.That((float[])read[i]["Score"]!, Is.EqualTo(mean).Within(1e-6f), $"row {i}");
        }
        Assert.That(read.Select(r => (uint)r["PredictedLabel"]!), Is.EqualTo(new uint[] { 3, 3, 2 }));
        Assert.That(model.Members, Has.Count.EqualTo(3));
    }

    [Test]
    public void Fit_MemberWithOtherClasses_ThrowsNamingMember()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(rows);
        var estimator = ml.MulticlassClassification.Trainers.VotingEnsemble(Member("A"), new ScoreCopyingMember("B", ["zero", "one", "seven"]));
        var e = Assert.Throws<InvalidOperationException>(() => estimator.Fit(data));
        Assert.That(e!.Message, Does.Contain("Ensemble member 1").And.Contain("seven").And.Contain("member 0").And.Contain("same classes"));

        var unnamed = ml.MulticlassClassification.Trainers.VotingEnsemble(Member("A"), new ScoreCopyingMember("B"));
        Assert.That(() => unnamed.Fit(data), Throws.InvalidOperationException.With.Message.Contains("member 1").And.Message.Contains("unnamed"));
    }

    [Test]
    public void Fit_MemberWithoutScore_ThrowsNamingMemberBeforeFitting()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(rows);
        var estimator = ml.MulticlassClassification.Trainers.VotingEnsemble(Member("A"), ml.Transforms.Conversion.MapValueToKey("Label"));
        Assert.That(() => estimator.Fit(data), Throws.InvalidOperationException.With.Message.Contains("member 1 (ValueToKeyMappingEstimator)")
            .And.Message.Contains("'Score'"));
    }

    [Test]
    public void Create_BadOptions_Throw()
    {
        var trainers = new MLContext().MulticlassClassification.Trainers;
        Assert.Throws<ArgumentException>(() => trainers.VotingEnsemble());
        Assert.Throws<ArgumentException>(() => trainers.VotingEnsemble(Member("A"), null!));
        Assert.Throws<ArgumentNullException>(() => trainers.VotingEnsemble((VotingEnsembleEstimator.Options)null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => trainers.VotingEnsemble(new VotingEnsembleEstimator.Options { Members = [Member("A")], Voting = (VotingKind)7 }));
        Assert.Throws<ArgumentException>(() => trainers.VotingEnsemble(new VotingEnsembleEstimator.Options { Members = [Member("A")], PredictedLabelColumnName = "Score" }));
    }

    [Test]
    public void Dispose_Twice_IsHarmlessAndUseAfterDisposeThrows()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(rows);
        var model = ml.MulticlassClassification.Trainers.VotingEnsemble(Member("A"), Member("B")).Fit(data);
        model.Dispose();
        model.Dispose();
        Assert.Throws<ObjectDisposedException>(() => model.Transform(data));
        Assert.Throws<ObjectDisposedException>(() => model.GetOutputSchema(data.Schema));
    }

    [Test]
    public void EvaluateEnsemble_HandMadeMembers_GivesEachMembersMetricsAndTheVote()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(rows);
        using var model = ml.MulticlassClassification.Trainers.VotingEnsemble(new VotingEnsembleEstimator.Options
        {
            Members = [Member("A"), Member("B"), Member("C")],
            Voting = VotingKind.Hard,
        }).Fit(data);
        var metrics = ml.MulticlassClassification.EvaluateEnsemble(model, data);
        // A is right on rows 0 and 2 (row 1: it says 0); B on rows 0 and 2; C on rows 1 and 2; the hard vote on all three
        // by PredictedLabel, but the evaluator reads the score, whose three-way tie on row 1 goes to class 0.
        Assert.That(metrics.Members.Select(m => m.MicroAccuracy), Is.EqualTo(new[] { 2.0 / 3, 2.0 / 3, 2.0 / 3 }).Within(1e-12));
        Assert.That(metrics.Ensemble.MicroAccuracy, Is.EqualTo(2.0 / 3).Within(1e-12));
        Assert.That(metrics.Members[0].LogLoss, Is.EqualTo(-(Math.Log(0.4f) + Math.Log(0.4f) + Math.Log(0.8f)) / 3).Within(1e-9));
        Assert.That(() => ml.MulticlassClassification.EvaluateEnsemble(new ScoreCopyingMember("A"), data), Throws.ArgumentException);
    }

    [Test]
    public void Conformance_NestedEnsembleOfSmallCnns_PassesAndReloadsIdentically()
    {
        var ml = new MLContext(seed: 5);
        var data = ml.Data.TakeRows(PipelineData.MnistTrain, 500);
        CnnTrainer Cnn(int seed) => ml.MulticlassClassification.Trainers.Cnn(new CnnTrainer.Options { Epochs = 1, Seed = seed, Architecture = CnnArchitectures.Mlp300 });
        var inner = ml.MulticlassClassification.Trainers.VotingEnsemble(new VotingEnsembleEstimator.Options { Members = [Cnn(1), Cnn(2)], Voting = VotingKind.Hard });
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: KeyOrdinality.ByValue)
            .Append(ml.MulticlassClassification.Trainers.VotingEnsemble(inner, Cnn(3)))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
        var read = EstimatorConformance.Check(ml, pipeline, data);
        Assert.That(read.Select(r => ((float[])r["Score"]!).Sum()), Has.All.EqualTo(1f).Within(1e-5f));
        Assert.That(read.Select(r => (float)r["PredictedLabel"]!), Has.All.InRange(0f, 9f));
    }
}
