// PretrainedModels.cs — the models shipped inside this package (a digit classifier and a line reader), their manifest,
// and the loads that check each against its SHA-256 before ML.NET reads it.
using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.ML;

namespace DigitsML;

/// <summary>One shipped model as the manifest describes it.</summary>
/// <param name="Name">"digits" or "reader".</param>
/// <param name="File">Its file name in the package.</param>
/// <param name="Kind">What it is and its columns.</param>
/// <param name="Command">The command that trained it (build/train-pretrained.sh).</param>
/// <param name="Recipe">The recipe, in the CLI's words.</param>
/// <param name="Data">What it was trained and chosen on.</param>
/// <param name="TrainingSeconds">How long training took on the machine that made it; null when not recorded.</param>
/// <param name="Figures">The figures measured when it was made (MNIST test accuracy, the numbers benchmark).</param>
/// <param name="Sha256">The SHA-256 of the file, upper-case hex.</param>
/// <param name="Bytes">The file's size.</param>
public sealed record PretrainedModelInfo(string Name, string File, string Kind, string Command, string Recipe, string Data,
    long? TrainingSeconds, JsonElement Figures, string Sha256, long Bytes);

/// <summary>The manifest of the shipped models.</summary>
/// <param name="Version">The manifest's format, 1.</param>
/// <param name="Made">The day the models were installed (yyyy-mm-dd).</param>
/// <param name="Models">Each model.</param>
public sealed record PretrainedManifest(int Version, string Made, IReadOnlyList<PretrainedModelInfo> Models);

/// <summary>The models that ship inside DigitsML.Scoring, so an app recognises digits and reads numbers with no training
/// and no model file: <c>ml.Model.LoadPretrainedDigits()</c> (a voting ensemble of QuickNets, one ONNX graph) and
/// <c>ml.Model.LoadPretrainedReader()</c> (the line reader), each loaded like any model zip (ML.NET's <c>Evaluate</c>,
/// prediction engines, <see cref="DigitClassifier"/>, <see cref="NumberReader"/>). <see cref="Manifest"/> says how each
/// was trained (build/train-pretrained.sh) and what it measured; every load checks the bytes against its SHA-256.</summary>
public static class PretrainedModels
{
    /// <summary>The name of the digit classifier in the manifest.</summary>
    public const string Digits = "digits";

    /// <summary>The name of the line reader in the manifest.</summary>
    public const string Reader = "reader";

    private const string ResourcePrefix = "DigitsML.Pretrained.";
    private static readonly Lazy<PretrainedManifest> manifest = new(ReadManifest);
    private static readonly Lazy<ITransformer> sharedReader = new(() => new MLContext().Model.LoadPretrainedReader());

    /// <summary>The shipped line reader, loaded on first use and kept for the process: what <c>ml.Transforms.ReadNumber()</c>
    /// reads with when no model is given (scoring it from several threads at once is safe).</summary>
    internal static ITransformer SharedReader => sharedReader.Value;

    /// <summary>The manifest: each model's file, SHA-256, command, recipe, data and figures.</summary>
    public static PretrainedManifest Manifest => manifest.Value;

    /// <summary>The bytes of the shipped model <paramref name="name"/> (<see cref="Digits"/> or <see cref="Reader"/>),
    /// checked against the manifest's SHA-256, as a seekable stream.</summary>
    /// <exception cref="ArgumentException">No shipped model has that name.</exception>
    /// <exception cref="DataFormatException">The embedded bytes do not match the manifest (a damaged package).</exception>
    public static Stream Open(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var info = Manifest.Models.FirstOrDefault(m => m.Name == name)
                   ?? throw new ArgumentException($"No shipped model is called '{name}'; there are {string.Join(", ", Manifest.Models.Select(m => m.Name))}.", nameof(name));
        using var resource = Resource(info.File);
        var bytes = new MemoryStream();
        resource.CopyTo(bytes);
        string hash = Convert.ToHexString(SHA256.HashData(bytes.GetBuffer().AsSpan(0, (int)bytes.Length)));
        if (!string.Equals(hash, info.Sha256, StringComparison.OrdinalIgnoreCase))
            throw new DataFormatException(info.File, $"the shipped model's SHA-256 is {hash}, not the manifest's {info.Sha256}: the package is damaged");
        bytes.Position = 0;
        return bytes;
    }

    private static Stream Resource(string file) =>
        typeof(PretrainedModels).Assembly.GetManifestResourceStream(ResourcePrefix + file)
        ?? throw new DataFormatException(file, "is not embedded in DigitsML.Scoring: the package is damaged");

    private static PretrainedManifest ReadManifest()
    {
        using var stream = Resource("manifest.json");
        var options = new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, NumberHandling = JsonNumberHandling.Strict };
        return JsonSerializer.Deserialize<PretrainedManifest>(stream, options)
               ?? throw new DataFormatException("manifest.json", "is empty: the package is damaged");
    }
}
