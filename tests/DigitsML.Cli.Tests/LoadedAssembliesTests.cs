// LoadedAssembliesTests.cs — `digits export`, `digits report` and `digits ensemble` of saved models run on DigitsML.Scoring
// alone: the child process, asked to list what it loaded (DIGITS_LIST_ASSEMBLIES=1), loaded neither TorchSharp nor the
// training assembly.
namespace DigitsML.Cli.Tests;

[TestFixture]
[NonParallelizable]
public sealed class LoadedAssembliesTests
{
    private static readonly Dictionary<string, string> ListAssemblies = new() { ["DIGITS_LIST_ASSEMBLIES"] = "1" };

    /// <summary>The assembly names the child printed after its command ran.</summary>
    private static List<string> Loaded(DigitsTool.Result run) =>
        [.. run.Error.Split('\n').Where(l => l.StartsWith("loaded: ", StringComparison.Ordinal)).Select(l => l["loaded: ".Length..].Trim())];

    private static DigitsTool.Result RunSavedModelCommand(string command)
    {
        string model = TrainedModels.Classic;
        string[] args = command switch
        {
            "export" => ["export", model, "--out", TrainedModels.PathTo("loaded-assemblies.onnx")],
            "report" => ["report", model, "--out", TrainedModels.PathTo("loaded-assemblies.html"), "--data", MnistFiles.Directory],
            "ensemble" => ["ensemble", model, model, "--out", TrainedModels.PathTo("loaded-assemblies.zip"), "--data", MnistFiles.Directory],
            _ => throw new ArgumentOutOfRangeException(nameof(command), command, "not a saved-model command"),
        };
        return DigitsTool.RunWith(ListAssemblies, args);
    }

    [TestCase("export")]
    [TestCase("report")]
    [TestCase("ensemble")]
    public void SavedModelCommand_Runs_LoadsNoTorchSharpNorTrainingAssembly(string command)
    {
        var run = RunSavedModelCommand(command);

        Assert.That(run.ExitCode, Is.Zero, run.Error);
        var loaded = Loaded(run);
        Assert.That(loaded, Does.Contain("DigitsML.Scoring").And.Contain("digits"), "the listing names what ran");
        Assert.That(loaded, Has.None.Contains("Torch").IgnoreCase, "TorchSharp (and libtorch with it)");
        Assert.That(loaded, Has.None.EqualTo("DigitsML"), "the training assembly");
    }

    [Test]
    public void ListAssemblies_NotAsked_PrintsNothing()
    {
        var run = DigitsTool.Run("export", TrainedModels.Classic, "--out", TrainedModels.PathTo("quiet.onnx"));

        Assert.That(run.ExitCode, Is.Zero, run.Error);
        Assert.That(run.Error, Is.Empty);
    }
}
