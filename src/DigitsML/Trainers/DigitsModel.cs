// DigitsModel.cs — the shared shape of DigitsML's fitted models: ML.NET transformers around one ONNX graph.
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DigitsML.Trainers;

/// <summary>A fitted DigitsML model (a <see cref="CnnTransformer"/> or a <see cref="VotingEnsembleTransformer"/>): every
/// <see cref="ITransformer"/> member is answered by <see cref="Scorer"/>, a chain of ML.NET's own transformers, and saving
/// writes that chain, so a saved model loads as ML.NET transformers with no DigitsML type in it.</summary>
public abstract class DigitsModel : ITransformer, IDisposable, IOnnxScoredModel
{
    private bool disposed;

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

    /// <summary>The trained networks in this model: itself for a <see cref="CnnTransformer"/>, every member's networks (in
    /// member order, nested ensembles flattened) for a <see cref="VotingEnsembleTransformer"/> — their histories, devices
    /// and summaries.</summary>
    public IEnumerable<CnnTransformer> Networks => this switch
    {
        CnnTransformer network => [network],
        VotingEnsembleTransformer ensemble => ensemble.Members.SelectMany(m => m.Networks),
        _ => [],
    };

    /// <summary>Number of classes scored.</summary>
    public int NumberOfClasses => ClassNames.Count;

    /// <inheritdoc />
    public bool IsRowToRowMapper => Scorer.IsRowToRowMapper;

    /// <inheritdoc />
    /// <exception cref="ObjectDisposedException">The model has been disposed.</exception>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => Live().GetOutputSchema(inputSchema);

    /// <inheritdoc />
    /// <exception cref="ObjectDisposedException">The model has been disposed.</exception>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => Live().GetRowToRowMapper(inputSchema);

    /// <inheritdoc />
    /// <exception cref="ObjectDisposedException">The model has been disposed.</exception>
    public IDataView Transform(IDataView input) => Live().Transform(input);

    /// <summary>Writes <see cref="Scorer"/>: the saved model holds ML.NET's transformers only.</summary>
    void ICanSaveModel.Save(ModelSaveContext ctx) => Live().Save(ctx);

    /// <summary>The scorer, or a clear error once disposed: ML.NET's disposed ONNX transformer would otherwise fail later,
    /// inside a cursor, with a NullReferenceException (or, when saving, a missing temporary file).</summary>
    private ITransformer Live()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        return Scorer;
    }

    /// <summary>Frees the ONNX session and ML.NET's temporary copy of the graph. Disposing twice does nothing more.</summary>
    public void Dispose()
    {
        if (disposed)
            return;
        disposed = true;
        (Scorer as IDisposable)?.Dispose();
        DisposeMembers();
        GC.SuppressFinalize(this);
    }

    /// <summary>Frees what a derived model owns besides <see cref="Scorer"/>.</summary>
    private protected virtual void DisposeMembers()
    {
    }
}
