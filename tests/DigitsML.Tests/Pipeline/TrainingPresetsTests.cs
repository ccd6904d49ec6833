// TrainingPresetsTests.cs — the robust and speed-record presets are valid recipes: each fits through ML.NET end to end on a small
// subset (one short epoch, so no timing and no accuracy goal is checked here; build/bench.sh records measures those),
// and the bench's --records options are read or refused with a message naming what was wrong.
using DigitsML.Engine;
using DigitsML.Networks;
using DigitsML.Trainers;

namespace DigitsML.Tests.Pipeline;

public sealed class TrainingPresetsTests
{
    private static IEnumerable<(string Name, CnnTrainer.Options Options)> Named =>
        [("robust", TrainingPresets.Robust), .. TrainingPresets.Records.Select(r => (r.Name, r.Options))];

    private static IEnumerable<TestCaseData> Presets() => Named.Select(p => new TestCaseData(p.Name).SetName($"Fit_{p.Name}_TrainsAndScores"));

    [TestCaseSource(nameof(Presets))]
    [Category("Slow")]
    public void Fit_Preset_TrainsAndScores(string name)
    {
        var ml = new MLContext(seed: 1);
        var keyed = ml.Data.Cache(PipelineData.Keyed(ml, ml.Data.TakeRows(PipelineData.MnistTrain, 250)));
        var preset = Named.Single(p => p.Name == name).Options;

        using var model = ml.MulticlassClassification.Trainers.Cnn(preset with { Epochs = 1 }).Fit(keyed);
        var scores = PipelineData.Column<float[]>(ml.Data.TakeRows(model.Transform(keyed), 20), "Score");

        Assert.That(model.Summary.Name, Is.EqualTo(preset.Architecture.Name));
        Assert.That(model.History, Has.Count.EqualTo(1));
        Assert.That(model.History[0].TrainLoss, Is.GreaterThan(0).And.LessThan(10), "a finite cross-entropy");
        Assert.That(model.History[0].Phases!.Forward, Is.GreaterThan(0), "the epoch's phases were timed");
        Assert.That(scores.Select(s => s.Sum()), Is.All.EqualTo(1f).Within(1e-4), "probabilities over the 10 digits");
    }

    [Test]
    public void QuickNet_Summary_HasTheDocumentedLayersAndParameters()
    {
        var summary = CnnArchitectures.QuickNet.Summarize();

        Assert.That(summary.TotalParameters, Is.EqualTo(24 * 25 + 2 * 24 + 32 * 24 * 9 + 2 * 32 + 800 * 256 + 256 + 256 * 10 + 10));
        Assert.That(summary.Classes, Is.EqualTo(10));
        Assert.That(CnnArchitectures.All["quicknet"], Is.SameAs(CnnArchitectures.QuickNet), "reachable by name, as --arch finds it");
    }

    [Test]
    public void QuickNetWide_Summary_HasTheDocumentedLayersAndParameters()
    {
        var summary = CnnArchitectures.QuickNetWide.Summarize();

        Assert.That(summary.TotalParameters, Is.EqualTo(32 * 25 + 2 * 32 + 64 * 32 * 9 + 2 * 64 + 1600 * 256 + 256 + 256 * 10 + 10));
        Assert.That(summary.TotalParameters, Is.EqualTo(431_850), "as its documentation says");
        Assert.That(CnnArchitectures.All["quicknetwide"], Is.SameAs(CnnArchitectures.QuickNetWide), "reachable by name, as --arch finds it");
    }

    [Test]
    public void All_Presets_AreRepeatableWholeDataRecipes()
    {
        Assert.That(TrainingPresets.Records.Select(p => p.Name), Is.EqualTo(new[] { "record-15s", "record-5min", "record-1h" }));
        foreach (var (name, options) in Named)
        {
            Assert.That(options.Seed, Is.EqualTo(1), $"{name}: a fixed seed, so the measured run repeats");
            Assert.That(options.ValidationFraction, Is.Zero, $"{name}: trains on every training image");
            Assert.That(() => ml().MulticlassClassification.Trainers.Cnn(options), Throws.Nothing, $"{name}: the trainer accepts it");
        }
        static MLContext ml() => new();
    }

    [Test]
    public void RecordsParse_Overrides_AreAppliedToThePresetForRecipeSearch()
    {
        var request = RecordsBench.Parse("record-15s", new Dictionary<string, string>
        {
            ["--seeds"] = "2", ["--first-seed"] = "3", ["--validation"] = "0.1", ["--epochs"] = "2", ["--batch"] = "64",
            ["--max-lr"] = "0.01", ["--arch"] = "digitnet", ["--smoothing"] = "0",
        }, images: 500, out string? error);

        Assert.That(error, Is.Null);
        Assert.That(request, Is.EqualTo(new RecordsBench.Request("record-15s", 2, 3, 0.1, 2, 64, 0.01, "digitnet", 500, 0)));
        var options = RecordsBench.Recipe(request!, seed: 4);
        Assert.That((options.Seed, options.ValidationFraction, options.Epochs, options.BatchSize, options.LabelSmoothing),
            Is.EqualTo((4, 0.1, 2, 64, 0.0)));
        Assert.That(options.Schedule, Is.EqualTo(new OneCycleLR(0.01)));
        Assert.That(options.Architecture, Is.SameAs(CnnArchitectures.DigitNet));
    }

    [Test]
    public void RecordsParse_NoOverrides_RunsThePresetAsItIs()
    {
        var request = RecordsBench.Parse("record-5min", new Dictionary<string, string>(), images: 0, out _);

        Assert.That(RecordsBench.Recipe(request!, seed: 1), Is.EqualTo(TrainingPresets.Record995In5Minutes));
        Assert.That((request!.Seeds, request.FirstSeed, request.Validation), Is.EqualTo((5, 1, 0.0)));
    }

    [Test]
    [Category("Slow")]
    public void VotingEnsembleOfOneRecipe_MembersTakeTheNextSeedsAndFitAsOneModel()
    {
        var ml = new MLContext(seed: 1);
        var keyed = ml.Data.Cache(PipelineData.Keyed(ml, ml.Data.TakeRows(PipelineData.MnistTrain, 250)));
        var recipe = TrainingPresets.Record9965In1Hour with { Epochs = 1, Seed = 7 };

        var estimator = ml.MulticlassClassification.Trainers.VotingEnsemble(recipe, members: 3);
        using var model = estimator.Fit(keyed);

        Assert.That(estimator.Members.Cast<CnnTrainer>().Select(m => m.TrainerOptions),
            Is.EqualTo(new[] { recipe, recipe with { Seed = 8 }, recipe with { Seed = 9 } }));
        var networks = model.Networks.ToList();
        Assert.That(networks, Has.Count.EqualTo(3));
        Assert.That(networks.Select(n => n.History.Count), Is.All.EqualTo(1));
        Assert.That(networks[0].History[0].TrainLoss, Is.Not.EqualTo(networks[1].History[0].TrainLoss), "other seeds, other networks");
        Assert.That(() => ml.MulticlassClassification.Trainers.VotingEnsemble(recipe, members: 0), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(() => ml.MulticlassClassification.Trainers.VotingEnsemble(recipe with { CheckpointPath = "run.ckpt" }, members: 2),
            Throws.ArgumentException.With.Message.Contains("run.ckpt").And.Message.Contains("2 members"));
    }

    [Test]
    public void RecordsRecipe_Record1h_IsAnEnsembleWhoseSeedsDoNotOverlapAcrossRuns()
    {
        var request = RecordsBench.Parse("record-1h", new Dictionary<string, string>(), images: 0, out _)!;
        int members = TrainingPresets.Record9965In1HourMembers;

        Assert.That(RecordsBench.Members("record-1h"), Is.EqualTo(members).And.GreaterThan(1));
        Assert.That(RecordsBench.Recipe(request, seed: 1).Seed, Is.EqualTo(1));
        Assert.That(RecordsBench.Recipe(request, seed: 2).Seed, Is.EqualTo(members + 1), "seed 2's first member follows seed 1's last");
        Assert.That(RecordsBench.Recipe(request, seed: 2) with { Seed = 1 }, Is.EqualTo(TrainingPresets.Record9965In1Hour));
    }

    [TestCase("nope", "--seeds", "1", "unknown preset 'nope': use record-15s, record-5min, record-1h")]
    [TestCase("record-1h", "--validation", "0.1", "--validation cannot measure record-1h, an ensemble of")]
    [TestCase("record-15s", "--seeds", "0", "--seeds takes a whole number of at least 1, not '0'")]
    [TestCase("record-15s", "--validation", "1", "--validation takes a fraction in [0, 1), not '1'")]
    [TestCase("record-15s", "--max-lr", "-1", "--max-lr takes a positive number, not '-1'")]
    [TestCase("record-15s", "--first-seed", "x", "--first-seed takes a whole number of at least 0, not 'x'")]
    [TestCase("record-15s", "--arch", "NoSuchNet", "unknown network 'NoSuchNet': use one of")]
    [TestCase("record-15s", "--speed", "9", "unknown option '--speed' for --records")]
    public void RecordsParse_BadOption_NamesIt(string preset, string option, string value, string message)
    {
        var request = RecordsBench.Parse(preset, new Dictionary<string, string> { [option] = value }, images: 0, out string? error);

        Assert.That(request, Is.Null);
        Assert.That(error, Does.StartWith(message));
    }
}
