// ModelClasses.cs — which class each Score slot of a loaded model stands for, and how the model's own answer is read.
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DigitsML.Scoring;

/// <summary>The classes of a model's <c>Score</c> slots, established once, by this rule:
/// <list type="number">
/// <item>a key <c>PredictedLabel</c> with key values (what <c>MapValueToKey("Label")</c> → any multiclass trainer gives,
/// and DigitsML's trainers): slot i is key value i, as ML.NET's multiclass scorers lay them out; Score's slot names, when
/// there are any, must say the same;</item>
/// <item>a <c>PredictedLabel</c> mapped back to its value (<c>MapKeyToValue</c>): the key values of the last step of the
/// model's chain where it was still a key;</item>
/// <item>otherwise Score's slot names, the answer then being Score's arg-max.</item>
/// </list>
/// Anything else is refused: a model whose slots cannot be tied to classes would be answered wrongly (issue 19: a model
/// whose label keys are in occurrence order read slot i as the digit i and got 0 of 200 right).</summary>
/// <param name="SlotClasses">The class of each Score slot.</param>
/// <param name="Scoring">The model, plus (when <paramref name="HasAnswer"/>) the step that writes <see cref="AnswerColumn"/>.</param>
/// <param name="HasAnswer">Whether the model gives its own answer (PredictedLabel); false: the answer is Score's arg-max.</param>
internal sealed record ModelClasses(IReadOnlyList<string> SlotClasses, ITransformer Scoring, bool HasAnswer)
{
    /// <summary>The column the appended step writes: the model's answer as a key whose index is the Score slot + 1.</summary>
    internal const string AnswerColumn = "DigitsML.Answer";

    /// <summary>The classes of <paramref name="model"/> scored from <see cref="DigitInput"/> rows, or null and the one-line
    /// reason (without a file name) why they cannot be established.</summary>
    internal static ModelClasses? Find(MLContext ml, ITransformer model, out string? problem)
    {
        problem = null;
        var input = ml.Data.LoadFromEnumerable(Array.Empty<DigitInput>());
        DataViewSchema output;
        try
        {
            output = model.GetOutputSchema(input.Schema);
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or InvalidOperationException or ArgumentException)
        {
            problem = $"the model does not take DigitInput's columns (Label: Single, Features: 28 × 28 Single) ({OneLine(e.Message)})";
            return null;
        }
        if (output.GetColumnOrNull("Score") is not { Type: VectorDataViewType { ItemType: NumberDataViewType item, Size: > 0 } vector } score
            || item != NumberDataViewType.Single)
        {
            problem = "the model gives no Score column of class probabilities (a known-size vector of Single): it is not a classifier";
            return null;
        }
        int slots = vector.Size;
        string[]? slotNames = SlotNames(score);
        var predicted = output.GetColumnOrNull("PredictedLabel");
        string[]? classes;
        IEstimator<ITransformer>? answer = null;
        if (predicted is { Type: KeyDataViewType key })
        {
            if (key.Count != (ulong)slots)
            {
                problem = $"PredictedLabel has {key.Count} classes but Score has {slots} slots";
                return null;
            }
            classes = KeyNames(predicted.Value) ?? slotNames;
            answer = ml.Transforms.CopyColumns(AnswerColumn, "PredictedLabel");
        }
        else if (predicted is { Type: PrimitiveDataViewType valueType } && KeyBefore(model, input.Schema, slots, valueType) is { } keyColumn)
        {
            classes = KeyNames(keyColumn);
            answer = ml.Transforms.Conversion.MapValueToKey(AnswerColumn, "PredictedLabel", keyData: LabelKeys.Of(keyColumn).Tables(ml).KeyData);
        }
        else
            classes = slotNames;
        if (classes is null)
        {
            problem = $"the order of its {slots} classes cannot be established: PredictedLabel has no key values and Score has no " +
                      "slot names (map the label with MapValueToKey, whose key values say which class each score is)";
            return null;
        }
        if (slotNames is not null && !slotNames.SequenceEqual(classes))
        {
            problem = $"Score's slot names ({string.Join(", ", slotNames)}) disagree with PredictedLabel's key values " +
                      $"({string.Join(", ", classes)}): which class each score is cannot be told";
            return null;
        }
        if (classes.Distinct().Count() != classes.Length)
        {
            problem = $"its class names are not distinct ({string.Join(", ", classes)})";
            return null;
        }
        var scoring = model;
        if (answer is not null)
            scoring = model.Append(answer.Fit(model.Transform(input)));
        return new ModelClasses(classes, scoring, answer is not null);
    }

    /// <summary>The largest score's slot (the first on a tie; NaN never wins), as <see cref="PredictedIndexMapping"/>
    /// picks it: the answer of a model that gives none of its own.</summary>
    internal static int ArgMax(ReadOnlySpan<float> score)
    {
        int best = 0;
        for (int i = 1; i < score.Length; i++)
            if (score[i] > score[best] || float.IsNaN(score[best]))
                best = i;
        return best;
    }

    private static string[]? SlotNames(DataViewSchema.Column score)
    {
        if (!score.HasSlotNames())
            return null;
        VBuffer<ReadOnlyMemory<char>> names = default;
        score.GetSlotNames(ref names);
        return [.. names.DenseValues().Select(n => n.ToString())];
    }

    private static string[]? KeyNames(DataViewSchema.Column key) =>
        key.Annotations.Schema.GetColumnOrNull(SchemaShapes.KeyValues) is null ? null : [.. LabelKeys.Of(key).Names];

    /// <summary>PredictedLabel as the last step of the model's chain that still had it as a key of <paramref name="slots"/>
    /// key values of <paramref name="valueType"/> left it: what a final <c>MapKeyToValue</c> turned into values.</summary>
    private static DataViewSchema.Column? KeyBefore(ITransformer model, DataViewSchema input, int slots, PrimitiveDataViewType valueType)
    {
        DataViewSchema.Column? found = null;
        foreach (var schema in StepSchemas(model, input))
            if (schema.GetColumnOrNull("PredictedLabel") is { Type: KeyDataViewType key } column && key.Count == (ulong)slots
                && column.Annotations.Schema.GetColumnOrNull(SchemaShapes.KeyValues)?.Type is VectorDataViewType { ItemType: var values }
                && values.Equals(valueType))
                found = column;
        return found;
    }

    /// <summary>The schema after each transformer of <paramref name="model"/>, nested chains unrolled.</summary>
    private static List<DataViewSchema> StepSchemas(ITransformer model, DataViewSchema input)
    {
        var schemas = new List<DataViewSchema>();
        if (model is IEnumerable<ITransformer> chain)
        {
            var schema = input;
            foreach (var step in chain)
            {
                schemas.AddRange(StepSchemas(step, schema));
                schema = step.GetOutputSchema(schema);
            }
        }
        else
            schemas.Add(model.GetOutputSchema(input));
        return schemas;
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ");
}
