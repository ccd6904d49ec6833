// ReadNumberTransformer.cs — the fitted ReadNumber step: reads each row's number lazily; refuses to be saved.
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DigitsML;

/// <summary>What <see cref="ReadNumberEstimator"/> fits: a lazy row-to-row mapping that reads each row's number when a
/// cursor reaches it (thread-safe, so ML.NET's parallel cursors may share it). Over a line reader model with the default
/// <see cref="ReadingOptions"/> (any ink) it is a chain of ML.NET transformers that <c>ml.Model.Save</c> saves as such
/// (it loads back as a <see cref="TransformerChain{TLastTransformer}"/> that reads the same). It cannot be saved over a
/// digit classifier (it holds a loaded digit model that ML.NET's model format has no place for: save the digit model and
/// make this step again from it after loading), nor with other options (a saved custom mapping keeps no settings), nor
/// when the reader model itself cannot be saved (loaded by <c>LoadDigitsModel</c>): <see cref="CanSave"/> tells, and
/// Save's exception says why. ML.NET has opened the destination before the step is asked to save:
/// <c>ml.Model.Save(…, path)</c> then leaves an incomplete zip there; <c>ml.Model.SaveAtomically</c> leaves the file as
/// it was.</summary>
public sealed class ReadNumberTransformer : ITransformer
{
    internal const string ClassifierRefusal =
        "A ReadNumber step over a digit classifier cannot be saved: it holds a loaded digit model, which ML.NET's model " +
        "format cannot hold inside another step. Save the digit model (ml.Model.Save) instead " +
        "and add ml.Transforms.ReadNumber(model) again after loading it.";

    private readonly ITransformer mapping;
    private readonly Lazy<string?> refusal;

    internal ReadNumberTransformer(ITransformer mapping, string? refusal, ITransformer? readerModel = null)
    {
        this.mapping = mapping;
        this.refusal = new(() => refusal ?? (readerModel is null ? null : ReaderRefusal(readerModel)));
    }

    /// <summary>Whether <c>ml.Model.Save</c> can save this step: over a line reader that can itself be saved, with the
    /// default <see cref="ReadingOptions"/> (any <see cref="ReadingOptions.Ink"/>); see the class's remarks. The first
    /// call saves the reader model once to nowhere to find out.</summary>
    public bool CanSave => refusal.Value is null;

    /// <summary>Null when the line reader model saves, else why not: it is saved once to nowhere. A model loaded by
    /// <c>LoadDigitsModel</c> cannot be saved, its graph file being deleted once it is loaded.</summary>
    private static string? ReaderRefusal(ITransformer readerModel)
    {
        try
        {
            new MLContext().Model.Save(readerModel, LineReader.InputSchema, Stream.Null);
            return null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return "This ReadNumber step cannot be saved: its line reader model cannot be saved again " +
                   $"({DigitsModelCatalog.Reason(e)}). A model loaded with ml.Model.LoadDigitsModel cannot be (its ONNX graph " +
                   "file is deleted once it is loaded): load the reader with ml.Model.Load to save the step, or save the " +
                   "reader model's file as it is and add ml.Transforms.ReadNumber(model) again after loading it.";
        }
    }

    /// <inheritdoc />
    public bool IsRowToRowMapper => mapping.IsRowToRowMapper;

    /// <inheritdoc />
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => mapping.GetOutputSchema(inputSchema);

    /// <inheritdoc />
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => mapping.GetRowToRowMapper(inputSchema);

    /// <inheritdoc />
    public IDataView Transform(IDataView input) => mapping.Transform(input);

    /// <summary>Saves the step as the chain of ML.NET transformers it is (it loads back as a
    /// <see cref="TransformerChain{TLastTransformer}"/>), or throws: see the class's remarks.</summary>
    /// <exception cref="InvalidOperationException">The step cannot be saved; the message says why and what to save
    /// instead. ML.NET has opened the destination by then: use <c>ml.Model.SaveAtomically</c> to leave it as it was.</exception>
    void ICanSaveModel.Save(ModelSaveContext ctx)
    {
        if (refusal.Value is { } reason)
            throw new InvalidOperationException(reason);
        ((ICanSaveModel)mapping).Save(ctx);
    }
}
