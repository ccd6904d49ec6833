// VotingEnsembleTests.cs — the voting ensemble estimator on the real ML.NET: its one ONNX graph votes as the members'
// own fitted models score (soft mean; hard votes with ties by summed probability), per-member metrics, option and schema
// errors, and ownership of the members. Three small CNNs, one epoch, on a MNIST subset.
using DigitsML.Engine;
using DigitsML.Networks;
using DigitsML.Trainers;

namespace DigitsML.Tests.Pipeline.Ensemble;

[TestFixture]
public sealed class VotingEnsembleTests
{
    private const int Rows = 1000;

    private static CnnTrainer Cnn(MLContext ml, NetworkDefinition architecture, int seed, string features = "Features") =>
        ml.MulticlassClassification.Trainers.Cnn(new CnnTrainer.Options { Architecture = architecture, Epochs = 1, Seed = seed, FeatureColumnName = features });

    private static CnnTrainer[] Three(MLContext ml) =>
        [Cnn(ml, CnnArchitectures.SeedNet, 1), Cnn(ml, CnnArchitectures.Mlp300, 2), Cnn(ml, CnnArchitectures.PyTorchExampleClassic, 3)];

    private static IDataView Keyed(MLContext ml) => ml.Data.Cache(PipelineData.Keyed(ml, ml.Data.TakeRows(PipelineData.MnistTrain, Rows)));

    /// <summary>Each member's own Score and the ensemble's Score and PredictedLabel on the first 300 test images.</summary>
    private static (List<float[]>[] Members, List<float[]> Score, List<uint> Predicted) Scores(MLContext ml, VotingEnsembleTransformer model)
    {
        var test = PipelineData.Keyed(ml, ml.Data.TakeRows(PipelineData.MnistTest, 300));
        var members = model.Members.Select(m => PipelineData.Column<float[]>(m.Transform(test), "Score")).ToArray();
        var scored = model.Transform(test);
        return (members, PipelineData.Column<float[]>(scored, "Score"), PipelineData.Column<uint>(scored, "PredictedLabel"));
    }

    [Test]
    [Category("Slow")]
    public void Fit_SoftVote_ScoreIsTheMeanOfTheMembersScores()
    {
        var ml = new MLContext(seed: 1);
        var estimator = ml.MulticlassClassification.Trainers.VotingEnsemble(Three(ml));
        Assert.That(estimator.Voting, Is.EqualTo(VotingKind.Soft), "soft is the default");
        using var model = estimator.Fit(Keyed(ml));

        var (members, score, predicted) = Scores(ml, model);

        Assert.That(model.Members.Cast<CnnTransformer>().Select(m => m.Summary.Name), Is.EqualTo(new[] { "SeedNet", "Mlp300", "PyTorchExampleClassic" }));
        Assert.That(model.Voting, Is.EqualTo(VotingKind.Soft));
        for (int row = 0; row < score.Count; row++)
        {
            var mean = Enumerable.Range(0, 10).Select(c => members.Sum(m => (double)m[row][c]) / 3).ToArray();
            Assert.That(score[row], Is.EqualTo(mean).Within(1e-6), $"row {row}");
            Assert.That(predicted[row], Is.EqualTo((uint)ArgMax(score[row]) + 1), $"row {row}");
        }
    }

    [Test]
    [Category("Slow")]
    public void Fit_HardVote_PredictsTheMajorityWithTiesBySummedProbability()
    {
        var ml = new MLContext(seed: 1);
        using var model = ml.MulticlassClassification.Trainers.VotingEnsemble(Three(ml), VotingKind.Hard).Fit(Keyed(ml));

        var (members, score, predicted) = Scores(ml, model);

        int disagreements = 0, ties = 0;
        for (int row = 0; row < score.Count; row++)
        {
            var votes = new int[10];
            var sums = new double[10];
            foreach (var member in members)
            {
                votes[ArgMax(member[row])]++;
                for (int c = 0; c < 10; c++)
                    sums[c] += member[row][c];
            }
            // The graph's documented score: ((M + 1) · votes + summed probabilities), normalised.
            var expected = Enumerable.Range(0, 10).Select(c => 4 * votes[c] + sums[c]).ToArray();
            double total = expected.Sum();
            Assert.That(score[row], Is.EqualTo(expected.Select(v => v / total)).Within(1e-5), $"row {row}");
            int most = votes.Max();
            int winner = Enumerable.Range(0, 10).Where(c => votes[c] == most).MaxBy(c => sums[c]);
            Assert.That(predicted[row], Is.EqualTo((uint)winner + 1), $"row {row}: votes [{string.Join(", ", votes)}]");
            disagreements += most < 3 ? 1 : 0;
            ties += votes.Count(v => v == most) > 1 ? 1 : 0;
        }
        TestContext.Out.WriteLine($"{disagreements} of {score.Count} rows without a unanimous vote, {ties} three-way ties");
        Assert.That(disagreements, Is.GreaterThan(0), "members that always agree would not test the vote");
    }

    [Test]
    [Category("Slow")]
    public void EvaluateVotingEnsemble_InTheIssuesChain_GivesTheEnsemblesAndEachMembersMetrics()
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.Cache(ml.Data.TakeRows(PipelineData.MnistTrain, Rows));
        var test = ml.Data.TakeRows(PipelineData.MnistTest, 500);
        using var model = ml.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
            .Append(ml.MulticlassClassification.Trainers.VotingEnsemble(Three(ml)))
            .Fit(train);

        var metrics = ml.MulticlassClassification.EvaluateVotingEnsemble(model, test);

        var keyed = model.First().Transform(test);
        var ensemble = model.LastTransformer;
        Assert.That(metrics.Ensemble.MicroAccuracy, Is.EqualTo(ml.MulticlassClassification.Evaluate(model.Transform(test)).MicroAccuracy));
        Assert.That(metrics.Members.Select(m => m.MicroAccuracy),
            Is.EqualTo(ensemble.Members.Select(m => ml.MulticlassClassification.Evaluate(m.Transform(keyed)).MicroAccuracy)));
        Assert.That(metrics.Members.Select(m => m.LogLoss), Is.Unique, "each member is evaluated on its own");
        Assert.That(metrics.ToString(), Does.Contain("member 2: micro-accuracy").And.Contain("ensemble: micro-accuracy"));
        TestContext.Out.WriteLine(metrics);
        Assert.That(metrics.Members.Max(m => m.MicroAccuracy), Is.GreaterThan(0.5), "the members learned (chance is 0.1; one epoch on 1,000 images gave 0.67 here)");
    }

    [Test]
    [Category("Slow")]
    public void EvaluateVotingEnsemble_ModelWithoutEnsemble_ThrowsSayingWhy()
    {
        var ml = new MLContext(seed: 1);
        var keyed = Keyed(ml);
        using var cnn = Cnn(ml, CnnArchitectures.Mlp300, 1).Fit(keyed);
        using var ensemble = ml.MulticlassClassification.Trainers.VotingEnsemble([Cnn(ml, CnnArchitectures.Mlp300, 1)]).Fit(keyed);
        using var stream = new MemoryStream();
        ml.Model.Save(ensemble, keyed.Schema, stream);
        stream.Position = 0;
        var loaded = ml.Model.Load(stream, out _);

        Assert.That(() => ml.MulticlassClassification.EvaluateVotingEnsemble(cnn, keyed),
            Throws.ArgumentException.With.Message.Contains("CnnTransformer").And.Message.Contains("not a VotingEnsembleTransformer"));
        Assert.That(() => ml.MulticlassClassification.EvaluateVotingEnsemble(loaded, keyed),
            Throws.ArgumentException.With.Message.Contains("loaded from a file"));
        (loaded as IDisposable)?.Dispose();
    }

    [Test]
    public void Create_BadMembersOrVoting_ThrowsNamingTheProblem()
    {
        var ml = new MLContext();
        var trainers = ml.MulticlassClassification.Trainers;

        Assert.That(() => trainers.VotingEnsemble([]), Throws.ArgumentException.With.Message.Contains("at least one member"));
        Assert.That(() => trainers.VotingEnsemble([Cnn(ml, CnnArchitectures.SeedNet, 1), null!]),
            Throws.ArgumentException.With.Message.Contains("member 1 is null"));
        Assert.That(() => trainers.VotingEnsemble([Cnn(ml, CnnArchitectures.SeedNet, 1), Cnn(ml, CnnArchitectures.SeedNet, 2, features: "Pixels")]),
            Throws.ArgumentException.With.Message.Contains("member 1 reads 'Label'/'Pixels'").And.Message.Contains("'Label'/'Features'"));
        Assert.That(() => trainers.VotingEnsemble([Cnn(ml, CnnArchitectures.SeedNet, 1)], (VotingKind)7),
            Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("Soft or Hard"));
        Assert.Throws<ArgumentNullException>(() => trainers.VotingEnsemble(null!));
    }

    [Test]
    public void Create_MemberListChangedAfterwards_FitsTheMembersGivenAtCreation()
    {
        var ml = new MLContext(seed: 1);
        var list = new List<CnnTrainer> { Cnn(ml, CnnArchitectures.Mlp300, 1) };
        var estimator = ml.MulticlassClassification.Trainers.VotingEnsemble(list);
        list.Add(Cnn(ml, CnnArchitectures.SeedNet, 2));

        Assert.That(estimator.Members, Has.Count.EqualTo(1));
    }

    [Test]
    public void Fit_LabelNotAKey_ThrowsBeforeAnyMemberTrains()
    {
        var ml = new MLContext(seed: 1);
        var epochs = new List<EpochProgress>();
        var watched = ml.MulticlassClassification.Trainers.Cnn(new CnnTrainer.Options { Epochs = 1, Progress = new Recorder(epochs.Add) });
        var raw = ml.Data.TakeRows(PipelineData.MnistTrain, 100);
        var estimator = ml.MulticlassClassification.Trainers.VotingEnsemble([watched, Cnn(ml, CnnArchitectures.SeedNet, 1)]);

        Assert.That(() => estimator.Fit(raw), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("label column 'Label'"));
        Assert.That(() => estimator.GetOutputSchema(EstimatorConformance.ShapeOf(raw.Schema)), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(epochs, Is.Empty);
    }

    private sealed class Recorder(Action<EpochProgress> record) : IProgress<EpochProgress>
    {
        public void Report(EpochProgress value) => record(value);
    }

    [Test]
    [Category("Slow")]
    public void Fit_OneMember_ScoresAsThatMembersOwnModel()
    {
        var ml = new MLContext(seed: 1);
        var keyed = Keyed(ml);
        using var ensemble = ml.MulticlassClassification.Trainers.VotingEnsemble([Cnn(ml, CnnArchitectures.SeedNet, 4)]).Fit(keyed);

        var (members, score, _) = Scores(ml, ensemble);

        for (int row = 0; row < score.Count; row++)
            Assert.That(score[row], Is.EqualTo(members[0][row]).Within(1e-6), $"row {row}");
        Assert.That(((CnnTransformer)ensemble.Members.Single()).History, Has.Count.EqualTo(1));
    }

    [Test]
    [Category("Slow")]
    public void Dispose_Ensemble_DisposesItsMembers()
    {
        var ml = new MLContext(seed: 1);
        var keyed = Keyed(ml);
        var ensemble = ml.MulticlassClassification.Trainers.VotingEnsemble([Cnn(ml, CnnArchitectures.Mlp300, 1), Cnn(ml, CnnArchitectures.Mlp300, 2)]).Fit(keyed);

        ensemble.Dispose();

        Assert.Throws<ObjectDisposedException>(() => ensemble.Transform(keyed));
        foreach (var member in ensemble.Members)
            Assert.Throws<ObjectDisposedException>(() => member.Transform(keyed), "each member is disposed with the ensemble");
    }

    private static int ArgMax(float[] values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
            if (values[i] > values[best])
                best = i;
        return best;
    }
}
