// WarmUpCheck.cs — one prediction on a blank 28 × 28 image right after a model loads: its Score must be what a classifier
// gives (for a DigitsML graph, a probability distribution) and its PredictedLabel the arg-max of that Score.
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DigitsML.Models;

/// <summary>Runs a loaded model once on a blank row of its input schema, when that schema has a 784-element Single vector
/// (a 28 × 28 image) and every column can be given a blank value (<see cref="BlankRowDataView.CanFill"/>); other models
/// (a pipeline that starts from image paths, a model over other features) are not run. When the output has a
/// <c>Score</c> vector of Single:
/// <list type="bullet">
/// <item>for a model whose ONNX graph DigitsML wrote, <c>Score</c> must be a probability distribution: every value finite
/// and in [0, 1], the sum 1 within <see cref="SumTolerance"/> (a softmax, a soft vote's mean, a hard vote's distribution);</item>
/// <item>for every model with a <c>PredictedLabel</c>, its slot — a key's index, or for a value the slot whose name it is —
/// must hold the largest <c>Score</c>. Every ML.NET multiclass model predicts the arg-max of its scores; a
/// non-calibrated trainer's scores are not probabilities, so only DigitsML's are held to that.</item>
/// </list></summary>
internal static class WarmUpCheck
{
    /// <summary>How far from 1 a probability distribution's sum may be (float rounding of ten terms is about 1e-6).</summary>
    internal const float SumTolerance = 1e-3f;

    private const int Pixels = 28 * 28;

    /// <summary>Runs the check; see the type's summary.</summary>
    /// <exception cref="DataFormatException">The prediction fails or its answer is not a classifier's.</exception>
    internal static void Check(ITransformer model, DataViewSchema? inputSchema, bool digitsGraph, string? path)
    {
        if (inputSchema is null || !inputSchema.Any(IsImage) || !inputSchema.All(BlankRowDataView.CanFill))
            return;
        float[] score;
        int? slot;
        try
        {
            var output = model.Transform(new BlankRowDataView(inputSchema));
            if (output.Schema.GetColumnOrNull("Score") is not { Type: VectorDataViewType { ItemType: NumberDataViewType item } } column
                || item.RawType != typeof(float))
                return;
            (score, slot) = Predict(output, column);
        }
        catch (Exception e) when (DigitsModelCatalog.IsDecodeFailure(e))
        {
            throw new DataFormatException(path, $"its warm-up prediction on a blank 28 × 28 image failed: {DigitsModelCatalog.Reason(e)}", e);
        }
        string shown = string.Join(", ", score.Take(12).Select(s => s.ToString("G4", System.Globalization.CultureInfo.InvariantCulture)));
        if (digitsGraph && (score.Length == 0 || !score.All(s => s is >= 0 and <= 1) || Math.Abs(score.Sum() - 1) > SumTolerance))
            throw new DataFormatException(path, $"its Score on a blank 28 × 28 image is not a probability distribution ({shown}; " +
                                                $"sum {score.Sum():G6})");
        if (slot is int s && (s < 0 || s >= score.Length || score.Any(other => !(score[s] >= other))))
            throw new DataFormatException(path, $"on a blank 28 × 28 image its PredictedLabel (Score slot {s}) is not the arg-max of its Score ({shown})");
    }

    private static bool IsImage(DataViewSchema.Column column) =>
        column.Type is VectorDataViewType { Size: Pixels } vector && vector.ItemType == NumberDataViewType.Single;

    /// <summary>The blank row's Score, and the Score slot its PredictedLabel names (null when there is none or it cannot
    /// be matched to a slot; −1 for a missing key).</summary>
    private static (float[] Score, int? Slot) Predict(IDataView output, DataViewSchema.Column scoreColumn)
    {
        var predicted = output.Schema.GetColumnOrNull("PredictedLabel");
        using var cursor = output.GetRowCursor(predicted is { } p ? [scoreColumn, p] : [scoreColumn]);
        if (!cursor.MoveNext())
            throw new InvalidOperationException("The model gave no row for one row in.");
        VBuffer<float> values = default;
        cursor.GetGetter<VBuffer<float>>(scoreColumn)(ref values);
        float[] score = [.. values.DenseValues()];
        if (predicted is not { } column)
            return (score, null);
        string? name = null;
        switch (column.Type)
        {
            case KeyDataViewType when column.Type.RawType == typeof(uint):
                uint key = 0;
                cursor.GetGetter<uint>(column)(ref key);
                return (score, (int)key - 1);
            case NumberDataViewType when column.Type.RawType == typeof(float):
                float number = 0;
                cursor.GetGetter<float>(column)(ref number);
                name = number.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
                break;
            case TextDataViewType:
                ReadOnlyMemory<char> text = default;
                cursor.GetGetter<ReadOnlyMemory<char>>(column)(ref text);
                name = text.ToString();
                break;
        }
        if (name is null || !scoreColumn.HasSlotNames())
            return (score, null);
        VBuffer<ReadOnlyMemory<char>> names = default;
        scoreColumn.GetSlotNames(ref names);
        var matches = names.DenseValues().Select((n, i) => (n.ToString(), i)).Where(m => m.Item1 == name).ToList();
        return (score, matches.Count == 1 ? matches[0].i : null);
    }
}
