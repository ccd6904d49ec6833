// ShippedModel.cs — the models DigitsML.Scoring ships (PretrainedModels), as `digits predict` and `digits read` use them
// when no model file is given, and the name their output gives them instead of a path.
namespace DigitsML.Cli;

internal static class ShippedModel
{
    /// <summary>How the output names a shipped model: "pretrained:NAME@" and the first 12 hex digits (lower case) of its
    /// SHA-256, e.g. <c>pretrained:digits@004aa22b1fa3</c>.</summary>
    public static string Label(string name)
    {
        var info = PretrainedModels.Manifest.Models.FirstOrDefault(m => m.Name == name)
                   ?? throw new InvalidOperationException($"DigitsML.Scoring ships no model called '{name}'");
        return $"pretrained:{name}@{info.Sha256[..12].ToLowerInvariant()}";
    }

    /// <summary>The line the text output starts with when a shipped model is used (the JSON output's "model" says the same).</summary>
    public static void PrintUsed(string label) => Console.WriteLine($"model: {label} (shipped with DigitsML; give a model file to use another)");
}
