// DigitsModelChain.cs — turns an ONNX graph of class probabilities into the ML.NET transformer a fitted DigitsML model is.
using System.ComponentModel;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DigitsML.Scoring;

/// <summary>Builds what a DigitsML trainer's <c>Fit</c> returns, from ML.NET's own saveable transformers only:
/// <list type="number">
/// <item><c>ApplyOnnxModel</c>: the features column in, <c>Score</c> (the graph's probabilities, slot names from the
/// label's key values) out;</item>
/// <item><see cref="PredictedIndexMapping"/>: the arg-max of <c>Score</c> as a scalar;</item>
/// <item><c>MapValue</c>: that index to the label's key value, then <c>MapValueToKey</c> with the label's key values
/// as key data, so <c>PredictedLabel</c> is a key exactly like the label (same count, same values, same order);</item>
/// <item><c>DropColumns</c> of the two helper columns.</item>
/// </list>
/// The chain is saved to memory and loaded back before it is returned, so the model in hand is the one a later
/// <c>ml.Model.Load</c> gives (bit-identical scores), and its ONNX file is ML.NET's own temporary copy, deleted when the
/// model is disposed; the file written here to build it is deleted at once. Public for DigitsML's training assembly
/// (whose trainers return this chain) and for <see cref="ModelFileEnsemble"/>; not meant for applications.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class DigitsModelChain
{
    internal const string ScoreColumn = "Score";
    internal const string PredictedLabelColumn = "PredictedLabel";
    internal const string IndexColumn = "DigitsML.PredictedIndex";
    internal const string ValueColumn = "DigitsML.PredictedValue";

    /// <summary>The fitted scoring chain of <paramref name="onnxModel"/> (one float input (batch, ...) named
    /// <paramref name="featureColumn"/>, one output "Score" (batch, K) of the label's class count), which it scores in its
    /// one-row form (<see cref="OnnxGraphs.ToBatched"/> undoes that). The caller owns the result: disposing it frees the
    /// ONNX session and ML.NET's temporary copy of the graph.</summary>
    /// <param name="onnxModel">The serialized, batched ONNX model.</param>
    /// <param name="data">Data with the features column; only its schema is used.</param>
    /// <param name="featureColumn">The features column, which is also the graph's input name.</param>
    /// <param name="label">The label column the model was trained on: a key, with or without key values.</param>
    /// <exception cref="DataFormatException">The bytes are not an ONNX model.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The label's key values are of a type <c>MapValueToKey</c> does not take.</exception>
    public static ITransformer Create(byte[] onnxModel, IDataView data, string featureColumn, DataViewSchema.Column label)
    {
        ArgumentNullException.ThrowIfNull(onnxModel);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentException.ThrowIfNullOrWhiteSpace(featureColumn);
        byte[] perRow = OnnxGraphs.ToPerRow(onnxModel);
        var ml = new MLContext();
        string file = Path.Combine(Path.GetTempPath(), $"digitsml-{Guid.NewGuid():N}.onnx");
        try
        {
            File.WriteAllBytes(file, perRow);
            IEstimator<ITransformer> chain = ml.Transforms.ApplyOnnxModel([ScoreColumn], [featureColumn], file)
                .Append(ml.Transforms.CustomMapping<PredictedIndexMapping.Input, PredictedIndexMapping.Output>(
                    PredictedIndexMapping.Map, PredictedIndexMapping.Contract));
            chain = AppendPredictedLabel(ml, chain, label);
            using var built = (IDisposable)chain.Fit(data);
            using var saved = new MemoryStream();
            ml.Model.Save((ITransformer)built, data.Schema, saved);
            // Loading runs ONNX Runtime on ML.NET's own temporary copy of the graph, whose random name can end in ".ort".
            return DigitsModelCatalog.RetryOnOrtTempName(() =>
            {
                saved.Position = 0;
                return ml.Model.Load(saved, out _);
            });
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>PredictedLabel from the index: MapValue to the label's key value, MapValueToKey with the label's key
    /// values as key data (for a key without values, the indices are the values).</summary>
    private static IEstimator<ITransformer> AppendPredictedLabel(MLContext ml, IEstimator<ITransformer> chain, DataViewSchema.Column label)
    {
        var (lookup, keyData) = LabelKeys.Of(label).Tables(ml);
        return chain
            .Append(ml.Transforms.Conversion.MapValue(ValueColumn, lookup, lookup.Schema["Index"], lookup.Schema["Value"], IndexColumn))
            .Append(ml.Transforms.Conversion.MapValueToKey(PredictedLabelColumn, ValueColumn, keyData: keyData))
            .Append(ml.Transforms.DropColumns(IndexColumn, ValueColumn));
    }

    /// <summary>The output shape every DigitsML trainer declares: <c>Score</c> a known-size vector of Single with slot
    /// names (the trainers always write class names into the graph: the label's key values, or "0" … "K−1" for a key
    /// without values) and <c>PredictedLabel</c> a scalar key like the label, with the label's key values (for a label
    /// without them, the class indices 0 … K−1 as UInt32, which <c>MapValueToKey</c> writes).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The label or features column is missing or of the wrong kind; the
    /// message names it.</exception>
    public static SchemaShape OutputSchema(SchemaShape input, string labelColumn, string featureColumn)
    {
        var label = SchemaShapes.Find(input, "label", labelColumn);
        if (!label.IsKey || label.Kind != SchemaShape.Column.VectorKind.Scalar)
            throw SchemaShapes.Mismatch("label", labelColumn, "Key", label, LabelHint);
        var features = SchemaShapes.Find(input, "feature", featureColumn);
        if (features.Kind != SchemaShape.Column.VectorKind.Vector || features.IsKey || features.ItemType != NumberDataViewType.Single)
            throw SchemaShapes.Mismatch("feature", featureColumn, "a known-size vector of Single", features);
        var keyValues = label.Annotations.FirstOrDefault(a => a.Name == SchemaShapes.KeyValues);
        bool named = keyValues.Name is not null;
        // A shape holds no sizes or key counts: any positive ones give the same shape.
        const int classes = 2;
        var score = SchemaShapes.SingleVector(ScoreColumn, new VectorDataViewType(NumberDataViewType.Single, classes), slotNames: true);
        // MapValueToKey always writes key values: the label's, or for a label without them the class indices (UInt32).
        var predicted = SchemaShapes.Key(PredictedLabelColumn, LabelKeys.For(named ? (PrimitiveDataViewType)keyValues.ItemType : NumberDataViewType.UInt32));
        return SchemaShapes.With(input, score, predicted);
    }

    /// <summary>The classes of a model trained on <paramref name="label"/>, as text in key order: the label's key values
    /// ("0" … "9"), or "0" … "K−1" for a key without values. They are <c>Score</c>'s slot names.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The key values are of a type <c>MapValueToKey</c> does not take.</exception>
    public static IReadOnlyList<string> ClassNames(DataViewSchema.Column label) => LabelKeys.Of(label).Names;

    /// <summary>What a schema error about a label that is not a key tells the user to do.</summary>
    public const string LabelHint = "Map the label to a key first: ml.Transforms.Conversion.MapValueToKey(\"Label\").";
}
