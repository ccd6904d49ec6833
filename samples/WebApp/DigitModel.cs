// DigitModel.cs — the model named in configuration, loaded once, scored through DigitsML's thread-safe engine pool.
using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DigitsML.WebApp;

/// <summary>One ML.NET model file (what <c>ml.Model.Save</c> or <c>digits train</c> wrote for a pipeline of the shape
/// MapValueToKey("Label") → a DigitsML trainer → MapKeyToValue("PredictedLabel")), loaded once by <see cref="Load"/> and
/// then shared by every request: <see cref="Predict"/> is safe from any number of threads.</summary>
public sealed class DigitModel(string path)
{
    private const int Classes = 10;
    private volatile Loaded? loaded;

    /// <summary>The model file, a full path.</summary>
    public string Path { get; } = System.IO.Path.GetFullPath(path);

    /// <summary>Whether <see cref="Load"/> has finished; until then <see cref="Predict"/> refuses.</summary>
    public bool IsLoaded => loaded is not null;

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

    /// <summary>Loads the model, checks that it scores the ten digits from 28 × 28 features, and runs it once so the
    /// first request does not pay for ONNX Runtime's start. Loading again is harmless.</summary>
    /// <exception cref="ModelLoadException">The file is missing, not a model, or not a digit model; one line.</exception>
    public void Load()
    {
        if (!File.Exists(Path))
            throw new ModelLoadException($"no model at {Path}: train one with build/run.sh, or name one with Model:Path " +
                                         "(e.g. --Model:Path=digits.zip)");
        var ml = new MLContext();
        ITransformer model;
        try
        {
            model = ml.Model.LoadDigitsModel(Path, out _);
        }
        catch (DataFormatException e)
        {
            throw new ModelLoadException(OneLine(e.Message), e);  // names the file and ML.NET's reason
        }
        catch (IOException e)
        {
            throw new ModelLoadException($"{Path} could not be read ({OneLine(e.Message)})", e);
        }
        try
        {
            // What the model makes of DigitInput's columns; a model that ends on a key PredictedLabel gets its value.
            var output = model.Transform(ml.Data.LoadFromEnumerable(Array.Empty<DigitInput>()));
            if (output.Schema.GetColumnOrNull("PredictedLabel")?.Type is KeyDataViewType)
                model = model.Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel").Fit(output));
            int[] digitOfSlot = DigitOfSlot(output.Schema);
            var pool = new PredictionEnginePool<DigitInput, DigitPrediction>(model);
            loaded = new Loaded(pool, digitOfSlot);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException)
        {
            throw new ModelLoadException($"{Path} does not score 28 × 28 digit features as DigitsML's models do ({OneLine(e.Message)})", e);
        }
        Predict(new float[28 * 28]);
    }

    /// <summary>The model's answer for 784 features (28 × 28, row by row, values in [0, 1], ink bright).</summary>
    /// <exception cref="InvalidOperationException">The model is not loaded yet.</exception>
    public DigitAnswer Predict(float[] features)
    {
        var model = loaded ?? throw new InvalidOperationException("The model is not loaded yet.");
        var prediction = model.Pool.Predict(new DigitInput { Features = features });
        var probabilities = new float[Classes];
        for (int slot = 0; slot < Classes; slot++)
            probabilities[model.DigitOfSlot[slot]] = prediction.Score[slot];
        // The model's own answer (a hard-vote ensemble's is the majority, not always the top probability).
        float label = prediction.PredictedLabel;
        int digit = label is >= 0 and < Classes && label == MathF.Floor(label) ? (int)label : ArgMax(probabilities, -1);
        int runnerUp = ArgMax(probabilities, digit);
        return new DigitAnswer(digit, probabilities[digit], new DigitAnswer.Alternative(runnerUp, probabilities[runnerUp]), probabilities);
    }

    private static int ArgMax(float[] values, int except)
    {
        int best = except == 0 ? 1 : 0;
        for (int i = 0; i < values.Length; i++)
            if (i != except && values[i] > values[best])
                best = i;
        return best;
    }

    /// <summary>Which digit each of Score's slots is, from the slot names (the label's key values); a model without slot
    /// names is taken to score 0 to 9 in order.</summary>
    private int[] DigitOfSlot(DataViewSchema schema)
    {
        if (schema.GetColumnOrNull("Score") is not { Type: VectorDataViewType { ItemType: NumberDataViewType, Size: Classes } } score)
            throw new ModelLoadException($"{Path} has no Score column of ten probabilities: it is not a model of the ten digits");
        if (!score.HasSlotNames())
            return [.. Enumerable.Range(0, Classes)];
        VBuffer<ReadOnlyMemory<char>> names = default;
        score.GetSlotNames(ref names);
        var digits = names.DenseValues().Select(n => int.TryParse(n.Span, out int d) ? d : -1).ToArray();
        if (!digits.Order().SequenceEqual(Enumerable.Range(0, Classes)))
            throw new ModelLoadException($"{Path} scores the classes {string.Join(", ", names.DenseValues())}, not the digits 0 to 9");
        return digits;
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ");

    private sealed record Loaded(PredictionEnginePool<DigitInput, DigitPrediction> Pool, int[] DigitOfSlot);
}
