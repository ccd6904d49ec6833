// VotingEnsembleAccuracyTests.cs — the slow accuracy gate: a soft vote of three small CNNs is at least as accurate as its
// best member on held-out data; the hard vote of the same members is measured beside it.
using System.Diagnostics;
using DigitsML.Engine;
using DigitsML.Trainers;

namespace DigitsML.Tests.Pipeline.Ensemble;

public sealed class VotingEnsembleAccuracyTests
{
    [Test]
    [Category("Slow")]
    public void Fit_ThreeSmallCnnsOnSubset_SoftVoteAtLeastAsAccurateAsBestMemberOnHeldOutData()
    {
        var ml = new MLContext(seed: 11);
        var train = ml.Data.Cache(ml.Data.TakeRows(PipelineData.MnistTrain, 4000));
        // Held-out: the first 2,000 MNIST test images, never seen in training.
        var test = ml.Data.TakeRows(PipelineData.MnistTest, 2000);
        CnnTrainer[] Members() =>
        [
            ml.MulticlassClassification.Trainers.Cnn(new CnnTrainer.Options { Architecture = CnnArchitectures.DigitNet, Epochs = 1, Seed = 1 }),
            ml.MulticlassClassification.Trainers.Cnn(new CnnTrainer.Options { Architecture = CnnArchitectures.SeedNet, Epochs = 1, Seed = 2 }),
            ml.MulticlassClassification.Trainers.Cnn(new CnnTrainer.Options { Architecture = CnnArchitectures.PyTorchExampleClassic, Epochs = 1, Seed = 3 }),
        ];
        IEstimator<ITransformer> Pipeline(VotingKind voting) =>
            ml.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
                .Append(ml.MulticlassClassification.Trainers.VotingEnsemble(Members(), voting));

        var clock = Stopwatch.StartNew();
        var softModel = Pipeline(VotingKind.Soft).Fit(train);
        double fitSeconds = clock.Elapsed.TotalSeconds;
        var hardModel = Pipeline(VotingKind.Hard).Fit(train);
        try
        {
            var soft = ml.MulticlassClassification.EvaluateVotingEnsemble(softModel, test);
            var hard = ml.MulticlassClassification.EvaluateVotingEnsemble(hardModel, test);
            for (int i = 0; i < soft.Members.Count; i++)
                TestContext.Out.WriteLine($"member {i}: accuracy {soft.Members[i].MicroAccuracy:P2}");
            TestContext.Out.WriteLine($"soft vote: accuracy {soft.Ensemble.MicroAccuracy:P2}; hard vote: {hard.Ensemble.MicroAccuracy:P2}");
            TestContext.Out.WriteLine($"soft fit {fitSeconds:F1} s on 4,000 training images, 1 epoch each; evaluated on 2,000 test images");

            Assert.That(hard.Members.Select(m => m.MicroAccuracy), Is.EqualTo(soft.Members.Select(m => m.MicroAccuracy)),
                "the same seeded members train identically in both ensembles");
            double best = soft.Members.Max(m => m.MicroAccuracy);
            Assert.That(soft.Ensemble.MicroAccuracy, Is.GreaterThanOrEqualTo(best), "the soft vote is at least as accurate as its best member");
            Assert.That(best, Is.GreaterThan(0.8), "the members learned something, so the comparison means something");
        }
        finally
        {
            (softModel as IDisposable)?.Dispose();
            (hardModel as IDisposable)?.Dispose();
        }
    }
}
