// DigitsModel.cs — the shared shape of DigitsML's fitted models: ML.NET transformers around one ONNX graph.
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DigitsML.Trainers;

/// <summary>A fitted DigitsML model (a <see cref="CnnTransformer"/> or a <see cref="VotingEnsembleTransformer"/>): every
/// <see cref="ITransformer"/> member is answered by <see cref="Scorer"/>, a chain of ML.NET's own transformers, and saving
/// writes that chain, so a saved model loads as ML.NET transformers with no DigitsML type in it.</summary>
public abstract class DigitsModel : ITransformer, IDisposable
{
    private protected DigitsModel(ITransformer scorer, byte[] onnxModel, IReadOnlyList<string> classNames, string featureColumnName)
    {
        Scorer = scorer;
        OnnxModel = onnxModel;
        ClassNames = classNames;
        FeatureColumnName = featureColumnName;
    }

    /// <summary>The ML.NET transformers that score: <c>ApplyOnnxModel</c>, the arg-max mapping, <c>MapValue</c>,
    /// <c>MapValueToKey</c>, <c>DropColumns</c>.</summary>
    public ITransformer Scorer { get; }

    /// <summary>The ONNX graph (serialized ModelProto): features (batch, C, H, W) in, <c>Score</c> probabilities
    /// (batch, K) out, for ONNX Runtime anywhere. <see cref="Scorer"/> runs the same graph in its one-row form.</summary>
    public ReadOnlyMemory<byte> OnnxModel { get; }

    /// <summary>The classes in score order, as text (the label's key values).</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>The features column the model reads.</summary>
    public string FeatureColumnName { get; }

    /// <summary>Number of classes scored.</summary>
    public int NumberOfClasses => ClassNames.Count;

    /// <inheritdoc />
    public bool IsRowToRowMapper => Scorer.IsRowToRowMapper;

    /// <inheritdoc />
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => Scorer.GetOutputSchema(inputSchema);

    /// <inheritdoc />
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => Scorer.GetRowToRowMapper(inputSchema);

    /// <inheritdoc />
    public IDataView Transform(IDataView input) => Scorer.Transform(input);

    /// <summary>Writes <see cref="Scorer"/>: the saved model holds ML.NET's transformers only.</summary>
    void ICanSaveModel.Save(ModelSaveContext ctx) => Scorer.Save(ctx);

    /// <summary>Frees the ONNX session and ML.NET's temporary copy of the graph.</summary>
    public void Dispose()
    {
        (Scorer as IDisposable)?.Dispose();
        DisposeMembers();
        GC.SuppressFinalize(this);
    }

    /// <summary>Frees what a derived model owns besides <see cref="Scorer"/>.</summary>
    private protected virtual void DisposeMembers()
    {
    }
}
