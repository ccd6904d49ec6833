// DigitModel.cs — the model named in configuration, loaded once, answered for by DigitsML's thread-safe DigitClassifier.
using System.Globalization;
using System.Reflection;

namespace DigitsML.WebApp;

/// <summary>One ML.NET model file (what <c>ml.Model.Save</c> or <c>digits train</c> wrote for a pipeline of the shape
/// MapValueToKey("Label") → a DigitsML trainer → MapKeyToValue("PredictedLabel")), loaded once by <see cref="Load"/> and
/// then shared by every request: <see cref="Predict"/> is safe from any number of threads.</summary>
public sealed class DigitModel(string path)
{
    private const int Classes = 10;
    private DigitClassifier? loaded;

    /// <summary>The model file, a full path.</summary>
    public string Path { get; } = System.IO.Path.GetFullPath(path);

    /// <summary>Whether <see cref="Load"/> has finished; until then <see cref="Predict"/> refuses.</summary>
    public bool IsLoaded => Volatile.Read(ref loaded) is not null;

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

    /// <summary>Loads the model, checks that it scores the ten digits from 28 × 28 features (its classes established by
    /// <see cref="DigitClassifier"/>), and runs it once so the first request does not pay for ONNX Runtime's start.
    /// Loading again is harmless.</summary>
    /// <exception cref="ModelLoadException">The file is missing, not a model, or not a digit model; one line.</exception>
    public void Load()
    {
        if (!File.Exists(Path))
            throw new ModelLoadException($"no model at {Path}: train one with build/run.sh, or name one with Model:Path " +
                                         "(e.g. --Model:Path=digits.zip)");
        DigitClassifier classifier;
        try
        {
            classifier = DigitClassifier.Load(Path);
        }
        catch (DataFormatException e)
        {
            throw new ModelLoadException(OneLine(e.Message), e);  // names the file and the reason
        }
        catch (IOException e)
        {
            throw new ModelLoadException($"{Path} could not be read ({OneLine(e.Message)})", e);
        }
        if (!classifier.Classes.SequenceEqual(Enumerable.Range(0, Classes).Select(d => d.ToString(CultureInfo.InvariantCulture))))
        {
            classifier.Dispose();
            throw new ModelLoadException($"{Path} scores the classes {string.Join(", ", classifier.Classes)}, not the digits 0 to 9");
        }
        classifier.Predict(new float[DigitClassifier.FeatureCount]);
        // A model loaded before is left to requests that may still hold it (loading twice is rare: once at start).
        Volatile.Write(ref loaded, classifier);
    }

    /// <summary>The model's answer for 784 features (28 × 28, row by row, values in [0, 1], ink bright).</summary>
    /// <exception cref="InvalidOperationException">The model is not loaded yet.</exception>
    public DigitAnswer Predict(float[] features)
    {
        var classifier = Volatile.Read(ref loaded) ?? throw new InvalidOperationException("The model is not loaded yet.");
        var scores = classifier.Predict(features);
        // Classes are "0" … "9" in that order (checked by Load), so the probabilities are indexed by digit.
        return new DigitAnswer(scores.Digit!.Value, scores.Probability,
            new DigitAnswer.Alternative(scores.RunnerUpDigit!.Value, scores.RunnerUpProbability), [.. scores.Probabilities]);
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ");
}
