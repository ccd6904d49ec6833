// ReaderModel.cs — the line reader named in configuration (Reader:Path), or the one shipped with DigitsML when none is
// named, or none (Reader:Enabled=false): a model that reads a whole handwritten number at once, loaded before the server
// listens and shared by every POST /api/numbers request.
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.ML;

namespace DigitsML.WebApp;

/// <summary>The service's number reader: the line reader model of <c>Reader:Path</c> (what <c>digits train-reader</c>
/// wrote), or, when that is not set, the line reader shipped in DigitsML.Scoring (<see cref="PretrainedModels"/>), or none
/// when <c>Reader:Enabled</c> is false. <see cref="Load"/> loads it with the hardened loader (<c>LoadDigitsModel</c>)
/// and checks that it is a line reader, not a digit classifier; <see cref="Read"/> is safe from any number of threads.
/// It is loaded once: a new file needs a restart (unlike <c>Model:Path</c>, it is not watched).</summary>
public sealed class ReaderModel(string? path, AppLimits limits, bool enabled = true) : IDisposable
{
    /// <summary>What /health calls the shipped reader, in place of a file name.</summary>
    public const string PretrainedName = "pretrained:" + PretrainedModels.Reader;

    private NumberReader? reader;
    private ITransformer? model;

    /// <summary>The reader file, a full path, or null for the shipped reader or none.</summary>
    public string? Path { get; } = enabled && path is not null ? System.IO.Path.GetFullPath(path) : null;

    /// <summary>Whether numbers are read: true unless <c>Reader:Enabled</c> is false.</summary>
    public bool IsConfigured { get; } = enabled;

    /// <summary>Whether the shipped reader reads (no <c>Reader:Path</c>, not disabled).</summary>
    public bool IsPretrained => IsConfigured && Path is null;

    /// <summary><c>Reader:Enabled</c>: false serves without POST /api/numbers; default true.</summary>
    /// <exception cref="ModelLoadException">The setting is neither true nor false.</exception>
    public static bool EnabledFrom(IConfiguration configuration) => configuration["Reader:Enabled"] switch
    {
        null or "" => true,
        var text when bool.TryParse(text, out bool enabled) => enabled,
        var text => throw new ModelLoadException($"Reader:Enabled is {(text.Length <= 20 ? text : text[..20] + "…")}: it must be true or false"),
    };

    /// <summary>The reader file configuration names: <c>Reader:Path</c> (relative to the current directory), or null
    /// when it is not set or empty.</summary>
    public static string? PathFrom(IConfiguration configuration) =>
        configuration["Reader:Path"] is { Length: > 0 } configured ? System.IO.Path.GetFullPath(configured) : null;

    /// <summary>The reader file's name (no folder), or <see cref="PretrainedName"/>; <see cref="Load"/> first.</summary>
    public string FileName => IsPretrained ? PretrainedName : System.IO.Path.GetFileName(Path) ?? "";

    /// <summary>The reader's SHA-256 at load, lower-case hex; <see cref="Load"/> first.</summary>
    public string Sha256 { get; private set; } = "";

    /// <summary>The reader's size in bytes (a file's now, -1 while it cannot be read; the shipped one's from its manifest).</summary>
    public long Bytes => IsPretrained
        ? PretrainedModels.Manifest.Models.Single(m => m.Name == PretrainedModels.Reader).Bytes
        : Path is null ? 0 : ModelIdentity.BytesOf(Path);

    /// <summary>The version of the reader answering: 1 (the reader is loaded once).</summary>
    public int Version => reader is null ? 0 : 1;

    /// <summary>The confidence below which a digit is marked uncertain unless a request says otherwise:
    /// <see cref="ReadingOptions.UncertainBelow"/>'s default.</summary>
    public static float DefaultUncertainBelow { get; } = new ReadingOptions().UncertainBelow;

    /// <summary>Loads the reader, when one is configured, and checks that it reads whole lines.</summary>
    /// <exception cref="ModelLoadException">The file is missing, not a model, or not a line reader; one line naming the file.</exception>
    public void Load()
    {
        if (!IsConfigured)
            return;
        if (Path is null)
        {
            LoadPretrained();
            return;
        }
        if (!File.Exists(Path))
            throw new ModelLoadException($"no reader at {Path} (Reader:Path): train one with digits train-reader, or leave " +
                                         "Reader:Path unset to serve without POST /api/numbers");
        try
        {
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path)));
            model = new MLContext().Model.LoadDigitsModel(Path, out _);
        }
        catch (DataFormatException e)
        {
            throw new ModelLoadException(Problems.OneLine(e.Message), e);  // names the file and the reason
        }
        catch (IOException e)
        {
            throw new ModelLoadException($"{Path} could not be read ({Problems.OneLine(e.Message)})", e);
        }
        if (!LineReader.IsLineReader(model, out string? problem))
            throw new ModelLoadException($"{Path} is not a line reader (Reader:Path): {problem}; a digit classifier is " +
                                         "served with Model:Path, a reader is made by digits train-reader");
        reader = new NumberReader(model, new ReadingOptions { MaxPixels = limits.MaxImagePixels });
    }

    /// <summary>Loads the shipped reader (its bytes checked against the manifest's SHA-256).</summary>
    private void LoadPretrained()
    {
        try
        {
            using var stream = PretrainedModels.Open(PretrainedModels.Reader);
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(stream));
            stream.Position = 0;
            model = new MLContext().Model.LoadDigitsModel(stream, out _);
        }
        catch (DataFormatException e)
        {
            throw new ModelLoadException($"{PretrainedName}: {Problems.OneLine(e.Message)}", e);
        }
        if (!LineReader.IsLineReader(model, out string? problem))
            throw new ModelLoadException($"{PretrainedName} is not a line reader: {problem}");
        reader = new NumberReader(model, new ReadingOptions { MaxPixels = limits.MaxImagePixels });
    }

    /// <summary>Reads the number in an encoded image, marking digits less sure than <paramref name="uncertainBelow"/>
    /// uncertain; an image without a number gives an empty reading with its reason (never an exception).</summary>
    /// <exception cref="InvalidOperationException">No reader is loaded.</exception>
    public NumberReading Read(byte[] encoded, float uncertainBelow)
    {
        var reading = (reader ?? throw new InvalidOperationException("No reader is loaded.")).Read(encoded);
        return reading.Digits.Count == 0 ? reading
            : reading with { Digits = [.. reading.Digits.Select(d => d with { Uncertain = d.Confidence < uncertainBelow })] };
    }

    /// <summary>A confidence threshold from a query string value: a number in [0, 1] (invariant culture), or null with
    /// the reason why not.</summary>
    public static float? ParseThreshold(string text, out string? problem)
    {
        problem = null;
        if (float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float value) && value is >= 0 and <= 1)
            return value;
        problem = $"uncertainBelow is {(text.Length <= 20 ? text : text[..20] + "…")}: it must be a number in [0, 1] (a confidence)";
        return null;
    }

    /// <inheritdoc />
    public void Dispose() => (model as IDisposable)?.Dispose();
}
