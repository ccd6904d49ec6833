// DigitModel.cs — the model named in configuration, or the classifier shipped with DigitsML when none is, served by
// DigitsML.Hosting's DigitRecognizer (a file is reloaded when it changes), with the start-up checks and the answer shape
// of this service.
using System.Globalization;

namespace DigitsML.WebApp;

/// <summary>The service's model: the file of <c>Model:Path</c> (what <c>ml.Model.Save</c> or <c>digits train</c> wrote),
/// or, when that is not set, the digit classifier shipped in DigitsML.Scoring (<see cref="PretrainedModels"/>, read through
/// <see cref="DigitsRecognitionOptions.ModelStream"/>: never reloaded), loaded by <see cref="Load"/> before the server listens and then shared by every request through DigitsML.Hosting's
/// <see cref="DigitRecognizer"/>: <see cref="Predict"/> is safe from any number of threads, and a new file written over
/// the old one (beside it, then renamed) is picked up while requests under way finish on the old model. A new file that
/// does not load, or whose classes are not the ten digits, leaves the old model answering (see <see cref="LastReloadError"/>).</summary>
public sealed class DigitModel(string? path, IServiceProvider services)
{
    /// <summary>The classes a model must have: the digits "0" to "9" (the answers are indexed by digit).</summary>
    public static readonly IReadOnlyList<string> Digits = [.. Enumerable.Range(0, 10).Select(d => d.ToString(CultureInfo.InvariantCulture))];

    private DigitRecognizer? recognizer;

    /// <summary>What /health calls the shipped classifier, in place of a file name.</summary>
    public const string PretrainedName = "pretrained:" + PretrainedModels.Digits;

    /// <summary>The model file, a full path, or null for the shipped classifier.</summary>
    public string? Path { get; } = path is null ? null : System.IO.Path.GetFullPath(path);

    /// <summary>Whether the shipped classifier answers (no <c>Model:Path</c>).</summary>
    public bool IsPretrained => Path is null;

    /// <summary>The model file configuration names: <c>Model:Path</c> (relative to the current directory), or null when
    /// it is not set or empty (the shipped classifier answers).</summary>
    public static string? PathFrom(IConfiguration configuration) =>
        configuration["Model:Path"] is { Length: > 0 } configured ? System.IO.Path.GetFullPath(configured) : null;

    /// <summary>The shipped classifier, as <see cref="DigitsRecognitionOptions.ModelStream"/> opens it (checked against
    /// its SHA-256).</summary>
    public static Stream OpenPretrained() => PretrainedModels.Open(PretrainedModels.Digits);

    /// <summary>The name /health gives the model: its file name, or <see cref="PretrainedName"/>; <see cref="Load"/> first.</summary>
    public string Name => Path is null ? PretrainedName : Info.FileName ?? "";

    /// <summary>The model's size in bytes (a file's now, -1 while it is being replaced; the shipped one's from its manifest).</summary>
    public long Bytes => Path is null
        ? PretrainedModels.Manifest.Models.Single(m => m.Name == PretrainedModels.Digits).Bytes
        : ModelIdentity.BytesOf(Path);

    /// <summary>The model answering now (version, SHA-256, file name); <see cref="Load"/> first.</summary>
    public DigitsModelInfo Info => Recognizer.Model;

    /// <summary>Why the newest model file did not load (file name and cause, no folder), or null.</summary>
    public string? LastReloadError => Recognizer.LastReloadError;

    /// <summary>Loads the model (the recognizer is made now, not at the first request) and checks that it scores the ten
    /// digits from 28 × 28 features.</summary>
    /// <exception cref="ModelLoadException">The file is missing, not a model, or not a digit model; one line.</exception>
    public void Load()
    {
        if (Path is not null && !File.Exists(Path))
            throw new ModelLoadException($"no model at {Path}: train one with build/run.sh, or name one with Model:Path " +
                                         "(e.g. --Model:Path=digits.zip), or leave Model:Path unset to serve the shipped classifier");
        try
        {
            recognizer = services.GetRequiredService<DigitRecognizer>();
        }
        catch (DataFormatException e)
        {
            throw new ModelLoadException(Problems.OneLine(e.Message), e);  // names the file and the reason
        }
        catch (IOException e)
        {
            throw new ModelLoadException($"{Path ?? PretrainedName} could not be read ({Problems.OneLine(e.Message)})", e);
        }
    }

    /// <summary>The model's answer for 784 features (28 × 28, row by row, values in [0, 1], ink bright).</summary>
    /// <exception cref="InvalidOperationException">The model is not loaded yet.</exception>
    public DigitAnswer Predict(float[] features)
    {
        var scores = Recognizer.Predict(features);
        // Classes are "0" … "9" in that order (required of every model loaded), so the probabilities are indexed by digit.
        return new DigitAnswer(scores.Digit!.Value, scores.Probability,
            new DigitAnswer.Alternative(scores.RunnerUpDigit!.Value, scores.RunnerUpProbability), [.. scores.Probabilities]);
    }

    private DigitRecognizer Recognizer => recognizer ?? throw new InvalidOperationException("The model is not loaded yet.");
}
