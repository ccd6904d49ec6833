// DigitClassifier.cs — one loaded digit model answering for features, encoded images and image files, thread-safe.
using System.Globalization;
using DigitsML.Scoring;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DigitsML;

/// <summary>A loaded classifier of 28 × 28 digit images (a DigitsML model, or any ML.NET model that takes
/// <see cref="DigitInput.Features"/> and gives a <c>Score</c> vector of class probabilities) with its classes established
/// once, when it is made: from the model's <c>PredictedLabel</c> key values, else from <c>Score</c>'s slot names; a model
/// whose scores cannot be tied to classes that way is refused rather than answered wrongly. Every answer is a
/// <see cref="DigitScores"/> whose class is the model's own <c>PredictedLabel</c> (a hard-vote ensemble's majority is not
/// always the top probability). Images go through <see cref="DigitFeatures"/>' one decode path (size checked from the
/// header before any pixel is allocated). Safe to call from any number of threads: predictions run on a
/// <see cref="PredictionEnginePool{TData, TPrediction}"/>.</summary>
public sealed class DigitClassifier : IDisposable
{
    /// <summary>The features a model reads: 28 × 28 grey levels.</summary>
    public const int FeatureCount = 28 * 28;

    private readonly PredictionEnginePool<DigitInput, ScoreRow>? scoresOnly;
    private readonly PredictionEnginePool<DigitInput, AnswerRow>? answered;
    private readonly int[] slotOfClass;
    private readonly int[] classOfSlot;
    private readonly bool ownsModel;

    /// <summary>A classifier over a model already loaded (e.g. by <c>ml.Model.LoadDigitsModel</c>).</summary>
    /// <param name="model">The model; it stays owned by the caller (disposing the classifier leaves it alone) and must
    /// outlive the classifier's use.</param>
    /// <param name="maxPixels">Images with more pixels are refused before decoding; default
    /// <see cref="DigitFeatures.MaxPixels"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxPixels"/> is less than 1 or more than
    /// <see cref="DigitFeatures.MaxPixels"/>.</exception>
    /// <exception cref="DataFormatException">The model does not take 28 × 28 features, gives no <c>Score</c> vector, or
    /// its classes cannot be established; the message says which (<see cref="DataFormatException.FilePath"/> is null).</exception>
    public DigitClassifier(ITransformer model, int maxPixels = DigitFeatures.MaxPixels)
        : this(model, null, maxPixels, ownsModel: false)
    {
    }

    private DigitClassifier(ITransformer model, string? path, int maxPixels, bool ownsModel)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPixels, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxPixels, DigitFeatures.MaxPixels);
        Model = model;
        ModelPath = path;
        MaxPixels = maxPixels;
        var found = ModelClasses.Find(new MLContext(), model, out string? problem)
                    ?? throw new DataFormatException(path, $"not a digit classifier DigitClassifier can answer for: {problem}");
        ScoreClasses = found.SlotClasses;
        (Classes, slotOfClass) = InClassOrder(found.SlotClasses);
        classOfSlot = new int[slotOfClass.Length];
        for (int c = 0; c < slotOfClass.Length; c++)
            classOfSlot[slotOfClass[c]] = c;
        if (found.HasAnswer)
            answered = new PredictionEnginePool<DigitInput, AnswerRow>(found.Scoring);
        else
            scoresOnly = new PredictionEnginePool<DigitInput, ScoreRow>(found.Scoring);
        this.ownsModel = ownsModel;
    }

    /// <summary>The model's classes: in numeric order when every class's name is a number (the digits "0" … "9", whatever
    /// order the model keeps them in), otherwise in the model's own order.</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>The class of each slot of the model's <c>Score</c> column, in the model's own order: the order ML.NET's
    /// multiclass metrics and confusion matrix use (the label's key order). <see cref="Classes"/> holds the same classes.</summary>
    public IReadOnlyList<string> ScoreClasses { get; }

    /// <summary>The model scored; owned by this classifier only when it was made by <see cref="Load(string, int)"/>.</summary>
    public ITransformer Model { get; }

    /// <summary>The model file's full path, or null when the model was not loaded from a file here.</summary>
    public string? ModelPath { get; }

    /// <summary>The most pixels an image may have.</summary>
    public int MaxPixels { get; }

    /// <summary>Loads a model zip (<c>ml.Model.Save</c>'s, <c>digits train</c>'s) and makes a classifier that owns it.</summary>
    /// <param name="path">The model zip.</param>
    /// <param name="maxPixels">Images with more pixels are refused before decoding; default <see cref="DigitFeatures.MaxPixels"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null, empty or white space.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="DataFormatException">The file is not a model zip that loads, or not a classifier of 28 × 28 digits
    /// whose classes can be established; the message names the file and the cause.</exception>
    public static DigitClassifier Load(string path, int maxPixels = DigitFeatures.MaxPixels)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string full = Path.GetFullPath(path);
        return Owning(new MLContext().Model.LoadDigitsModel(full, out _), full, maxPixels);
    }

    /// <summary>Loads a model zip from a seekable stream (read from its current position) and makes a classifier that owns it.</summary>
    /// <exception cref="ArgumentException">The stream cannot seek.</exception>
    /// <exception cref="DataFormatException">As for <see cref="Load(string, int)"/>, without a file name.</exception>
    public static DigitClassifier Load(Stream stream, int maxPixels = DigitFeatures.MaxPixels) =>
        Owning(new MLContext().Model.LoadDigitsModel(stream, out _), null, maxPixels);

    private static DigitClassifier Owning(ITransformer model, string? path, int maxPixels)
    {
        try
        {
            return new DigitClassifier(model, path, maxPixels, ownsModel: true);
        }
        catch
        {
            (model as IDisposable)?.Dispose();
            throw;
        }
    }

    /// <summary>The model's answer for 784 features (28 × 28, row by row, in [0, 1], ink bright, as
    /// <see cref="DigitFeatures"/> and <c>ml.Data.LoadFromIdx</c> give them).</summary>
    /// <exception cref="ArgumentException"><paramref name="features"/> does not hold <see cref="FeatureCount"/> values.</exception>
    public DigitScores Predict(ReadOnlySpan<float> features)
    {
        if (features.Length != FeatureCount)
            throw new ArgumentException($"A digit has {FeatureCount} features (28 × 28); got {features.Length}.", nameof(features));
        var input = new DigitInput { Features = features.ToArray() };
        if (answered is not null)
        {
            var row = answered.Predict(input);
            // Key 0 is a PredictedLabel that is none of the classes: only a broken model gives it.
            if (row.Answer == 0 || row.Answer > (uint)classOfSlot.Length)
                throw new DataFormatException(ModelPath, $"the model's PredictedLabel (key {row.Answer}) is not one of its {Classes.Count} classes");
            return Answer(row.Score, (int)row.Answer - 1);
        }
        float[] score = scoresOnly!.Predict(input).Score;
        return Answer(score, ModelClasses.ArgMax(score));
    }

    /// <summary>The model's answer for an encoded image (PNG, JPEG, BMP, GIF, WebP), prepared as
    /// <see cref="DigitFeatures.FromImage"/> prepares it.</summary>
    /// <param name="encoded">The image's bytes.</param>
    /// <param name="ink">How ink is told from paper; default <see cref="DigitInk.Auto"/>.</param>
    /// <exception cref="DataFormatException">The bytes are not a whole image of those formats or have more than
    /// <see cref="MaxPixels"/> pixels; the message says which.</exception>
    public DigitScores PredictImage(ReadOnlySpan<byte> encoded, DigitInk ink = DigitInk.Auto) =>
        Predict(DigitFeatures.FromImage(encoded, ink, MaxPixels));

    /// <summary>The model's answer for an image file, read and prepared as <see cref="DigitFeatures.FromImageFile"/> does.</summary>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="DataFormatException">The file is missing, unreadable, too large, or not a whole image; the message
    /// names the file and the cause.</exception>
    public DigitScores PredictFile(string path, DigitInk ink = DigitInk.Auto) =>
        Predict(DigitFeatures.FromImageFile(path, ink, MaxPixels));

    /// <summary>Disposes the model when this classifier loaded it.</summary>
    public void Dispose()
    {
        if (ownsModel)
            (Model as IDisposable)?.Dispose();
    }

    private DigitScores Answer(float[] score, int slot)
    {
        if (score.Length != classOfSlot.Length)
            throw new DataFormatException(ModelPath, $"the model gave {score.Length} scores for {Classes.Count} classes");
        var probabilities = new float[score.Length];
        for (int c = 0; c < probabilities.Length; c++)
            probabilities[c] = score[slotOfClass[c]];
        int best = classOfSlot[slot], second = -1;
        for (int c = 0; c < probabilities.Length; c++)
            if (c != best && (second < 0 || probabilities[c] > probabilities[second]))
                second = c;
        return new DigitScores(Classes[best], probabilities[best], second < 0 ? null : Classes[second],
            second < 0 ? 0 : probabilities[second], Classes, probabilities);
    }

    /// <summary>The classes in numeric order when all are numbers, else as given; and the slot of each.</summary>
    private static (string[] Classes, int[] SlotOfClass) InClassOrder(IReadOnlyList<string> slotClasses)
    {
        var slots = Enumerable.Range(0, slotClasses.Count).ToArray();
        var numbers = slotClasses.Select(c => double.TryParse(c, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : double.NaN).ToArray();
        if (numbers.All(double.IsFinite))
            slots = [.. slots.OrderBy(s => numbers[s])];
        return ([.. slots.Select(s => slotClasses[s])], slots);
    }

    internal sealed class ScoreRow
    {
        public float[] Score { get; set; } = [];
    }

    internal sealed class AnswerRow
    {
        public float[] Score { get; set; } = [];

        [ColumnName(ModelClasses.AnswerColumn)]
        public uint Answer { get; set; }
    }
}
