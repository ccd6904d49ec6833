// RecipeJsonTests.cs — the recipe's one JSON form (round trip, what it leaves out, its differences), its one-line
// description, and the one table of presets by name.
using System.Text.Json;
using DigitsML.Engine;
using DigitsML.Networks;
using DigitsML.Trainers;

namespace DigitsML.Tests.Pipeline;

public sealed class RecipeJsonTests
{
    private static IEnumerable<TestCaseData> Presets() =>
        TrainingPresets.ByName.Select(p => new TestCaseData(p.Name).SetName($"ToJson_{p.Name}_RoundTripsThroughFromJson"));

    [TestCaseSource(nameof(Presets))]
    public void ToJson_Preset_RoundTripsThroughFromJson(string name)
    {
        var preset = TrainingPresets.Find(name).Options;

        string json = preset.ToJson();
        var read = CnnTrainer.Options.FromJson(json);

        Assert.That(read.ToJson(), Is.EqualTo(json));
        Assert.That(read.Architecture.ToString(), Is.EqualTo(preset.Architecture.ToString()), "the same layers");
        Assert.That(read.Architecture.InputShape, Is.EqualTo(preset.Architecture.InputShape));
        Assert.That(read with { Architecture = preset.Architecture }, Is.EqualTo(preset), "every other setting by value");
    }

    [Test]
    public void ToJson_RecipeWithCallbacksPathsAndDevice_LeavesThemOut()
    {
        var recipe = TrainingPresets.DigitNet with
        {
            Log = _ => { }, Progress = new Progress<EpochProgress>(), BatchProgress = new Progress<BatchProgress>(),
            CancellationToken = new CancellationTokenSource().Token, CheckpointPath = "/tmp/x.ckpt", ResumeFromCheckpoint = true,
            GpuDeviceId = 1, FallbackToCpu = true,
        };

        Assert.That(recipe.ToJson(), Is.EqualTo(TrainingPresets.DigitNet.ToJson()));
        using var json = JsonDocument.Parse(recipe.ToJson());
        var names = json.RootElement.EnumerateObject().Select(p => p.Name).ToList();
        Assert.That(names, Does.Contain("epochs").And.Contain("optimizer").And.Contain("augmentation").And.Contain("architecture"));
        Assert.That(names, Has.None.Matches<string>(n => n is "log" or "progress" or "batchProgress" or "cancellationToken" or "checkpointPath"
            or "resumeFromCheckpoint" or "gpuDeviceId" or "fallbackToCpu"));
        Assert.That(json.RootElement.GetProperty("optimizer").GetProperty("kind").GetString(), Is.EqualTo("Adam"));
        Assert.That(json.RootElement.GetProperty("architecture").GetProperty("name").GetString(), Is.EqualTo("DigitNet"));
    }

    [Test]
    public void FromJson_NotARecipe_ThrowsJsonException()
    {
        Assert.Throws<JsonException>(() => CnnTrainer.Options.FromJson("{\"epochs\": \"many\"}"));
        Assert.Throws<JsonException>(() => CnnTrainer.Options.FromJson("{\"architecture\": {\"name\": \"X\", \"inputShape\": [0], \"layers\": []}}"));
    }

    [Test]
    public void FromJson_MissingSettings_KeepTheirDefaults()
    {
        var read = CnnTrainer.Options.FromJson("{\"epochs\": 3}");

        Assert.That(read, Is.EqualTo(new CnnTrainer.Options { Epochs = 3 } with { Architecture = read.Architecture }));
        Assert.That(read.Architecture.Name, Is.EqualTo(CnnArchitectures.SeedNet.Name));
    }

    [Test]
    public void Differences_TwoRecipes_NameEachSettingThatDiffers()
    {
        var a = TrainingPresets.Robust;
        var b = a with { Epochs = 5, Augmentation = a.Augmentation with { NoiseProbability = 0.2 } };

        var differences = CnnTrainer.Options.Differences(a.ToJsonNode(), b.ToJsonNode());

        Assert.That(differences, Is.EqualTo(new[] { "augmentation.noiseProbability: 0.05 → 0.2", "epochs: 30 → 5" }));
        Assert.That(CnnTrainer.Options.Differences(a.ToJsonNode(), a.ToJsonNode()), Is.Empty);
    }

    [Test]
    public void Describe_AnEtAl_OneLineWithEverySettingThatShapesTheResult()
    {
        string line = TrainingPresets.AnEtAl.Describe();

        Assert.That(line, Is.EqualTo("M5, 150 epochs, batch 120, adam lr 0.001, exponential schedule ×0.98 per epoch, label smoothing 0, " +
                                     "seed 0; augmentation rotate ±20°, shift ±20 %; weight average on, decay 0.999; validation none"));
    }

    [Test]
    public void ByName_EveryPreset_UniqueNamesDefaultFirstAndFindRefusesOthers()
    {
        var names = TrainingPresets.ByName.Select(p => p.Name).ToList();

        Assert.That(names, Is.EqualTo(new[] { "default", "digitnet", "an-et-al", "record-15s", "record-5min", "record-1h" }));
        Assert.That(TrainingPresets.Find(TrainingPresets.DefaultName).Options, Is.SameAs(TrainingPresets.Robust));
        Assert.That(TrainingPresets.Find("record-1h").Members, Is.EqualTo(TrainingPresets.Record9965In1HourMembers));
        Assert.That(TrainingPresets.ByName.Where(p => p.Name != "record-1h").Select(p => p.Members), Is.All.EqualTo(1));
        Assert.That(TrainingPresets.ByName.Select(p => p.Description), Is.All.Not.Empty);
        Assert.That(() => TrainingPresets.Find("nope"),
            Throws.ArgumentException.With.Message.Contains("unknown preset 'nope'; choose default, digitnet, an-et-al, record-15s"));
    }
}
