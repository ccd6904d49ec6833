// DigitModel.cs — the model named in configuration, served by DigitsML.Hosting's DigitRecognizer (reloaded when the file
// changes), with the start-up checks and the answer shape of this service.
using System.Globalization;
using System.Reflection;

namespace DigitsML.WebApp;

/// <summary>The service's model: the file of <c>Model:Path</c> (what <c>ml.Model.Save</c> or <c>digits train</c> wrote),
/// loaded by <see cref="Load"/> before the server listens and then shared by every request through DigitsML.Hosting's
/// <see cref="DigitRecognizer"/>: <see cref="Predict"/> is safe from any number of threads, and a new file written over
/// the old one (beside it, then renamed) is picked up while requests under way finish on the old model. A new file that
/// does not load, or whose classes are not the ten digits, leaves the old model answering (see <see cref="LastReloadError"/>).</summary>
public sealed class DigitModel(string path, IServiceProvider services)
{
    /// <summary>The classes a model must have: the digits "0" to "9" (the answers are indexed by digit).</summary>
    public static readonly IReadOnlyList<string> Digits = [.. Enumerable.Range(0, 10).Select(d => d.ToString(CultureInfo.InvariantCulture))];

    private DigitRecognizer? recognizer;

    /// <summary>The model file, a full path.</summary>
    public string Path { get; } = System.IO.Path.GetFullPath(path);

    /// <summary>The model file configuration names: <c>Model:Path</c> (relative to the current directory), or, when it
    /// is empty, artifacts/digits-model.zip of the repository this app was built in (where build/run.sh saves it).</summary>
    public static string PathFrom(IConfiguration configuration)
    {
        if (configuration["Model:Path"] is { Length: > 0 } configured)
            return System.IO.Path.GetFullPath(configured);
        string root = typeof(DigitModel).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "DigitsML.RepositoryRoot").Value!;
        return System.IO.Path.Combine(root, "artifacts", "digits-model.zip");
    }

    /// <summary>The model answering now (version, SHA-256, file name); <see cref="Load"/> first.</summary>
    public DigitsModelInfo Info => Recognizer.Model;

    /// <summary>Why the newest model file did not load (file name and cause, no folder), or null.</summary>
    public string? LastReloadError => Recognizer.LastReloadError;

    /// <summary>Loads the model (the recognizer is made now, not at the first request) and checks that it scores the ten
    /// digits from 28 × 28 features.</summary>
    /// <exception cref="ModelLoadException">The file is missing, not a model, or not a digit model; one line.</exception>
    public void Load()
    {
        if (!File.Exists(Path))
            throw new ModelLoadException($"no model at {Path}: train one with build/run.sh, or name one with Model:Path " +
                                         "(e.g. --Model:Path=digits.zip)");
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
            throw new ModelLoadException($"{Path} could not be read ({Problems.OneLine(e.Message)})", e);
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
