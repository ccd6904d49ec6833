// VotingEnsembleAccuracyTests.cs — the slow accuracy gate: a vote of three small CNNs is at least as accurate as its best member.
using System.Diagnostics;
using DigitsML.Engine;
using DigitsML.Trainers;
using DigitsML.Transforms;

namespace DigitsML.Tests.Pipeline.Ensemble;

public sealed class VotingEnsembleAccuracyTests
{
    [Test]
    [Category("Slow")]
    public void Fit_ThreeSmallCnnsOnSubset_VoteAtLeastAsAccurateAsBestMemberOnHeldOutData()
    {
        var ml = new MLContext(seed: 11);
        var train = ml.Data.TakeRows(PipelineData.MnistTrain, 4000);
        // Held-out: the first 2,000 MNIST test images, never seen in training.
        var test = ml.Data.TakeRows(PipelineData.MnistTest, 2000);
        CnnTrainer Cnn(NetworkDefinition architecture, int seed) =>
            ml.MulticlassClassification.Trainers.Cnn(new CnnTrainer.Options { Architecture = architecture, Epochs = 1, Seed = seed });
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: KeyOrdinality.ByValue)
            .Append(ml.MulticlassClassification.Trainers.VotingEnsemble(
                Cnn(CnnArchitectures.DigitNet, 1), Cnn(CnnArchitectures.SeedNet, 2), Cnn(CnnArchitectures.PyTorchExampleClassic, 3)));

        var clock = Stopwatch.StartNew();
        using var model = pipeline.Fit(ml.Data.Cache(train));
        double fitSeconds = clock.Elapsed.TotalSeconds;
        var soft = ml.MulticlassClassification.EvaluateEnsemble(model, test);
        // The same fitted members voting by majority, without training them again. This second ensemble shares them with
        // the model, which disposes them, so it is deliberately not disposed itself.
        var ensemble = model.LastTransformer!;
        var hardModel = new VotingEnsembleTransformer(ensemble.Members, VotingKind.Hard, "Score", "PredictedLabel");
        double hardAccuracy = PredictedLabelAccuracy(hardModel.Transform(model.First().Transform(test)));

        for (int i = 0; i < soft.Members.Count; i++)
            TestContext.Out.WriteLine($"member {i} ({((CnnTransformer)ensemble.Members[i]).Summary.Name}): accuracy {soft.Members[i].MicroAccuracy:P2}");
        TestContext.Out.WriteLine($"soft vote: accuracy {soft.Ensemble.MicroAccuracy:P2}; hard vote (PredictedLabel): {hardAccuracy:P2}");
        TestContext.Out.WriteLine($"fit {fitSeconds:F1} s on 4,000 training images, 1 epoch each; evaluated on 2,000 test images");

        double best = soft.Members.Max(m => m.MicroAccuracy);
        Assert.That(soft.Ensemble.MicroAccuracy, Is.GreaterThanOrEqualTo(best), "the soft vote is at least as accurate as its best member");
        Assert.That(best, Is.GreaterThan(0.8), "the members learned something, so the comparison means something");
    }

    private static double PredictedLabelAccuracy(IDataView scored)
    {
        var labels = PipelineData.ReadAll(scored, "Label", "PredictedLabel");
        return labels.Count(r => (uint)r["Label"]! == (uint)r["PredictedLabel"]!) / (double)labels.Count;
    }
}
