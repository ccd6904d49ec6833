// ReadNumberTransformer.cs — the fitted ReadNumber step: reads each row's number lazily; refuses to be saved.
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DigitsML;

/// <summary>What <see cref="ReadNumberEstimator"/> fits: a lazy row-to-row mapping that reads each row's number when a
/// cursor reaches it (thread-safe, so ML.NET's parallel cursors may share it). It cannot be saved: it holds a loaded
/// digit model that ML.NET's model format has no place for, and a file without it could not be loaded. Save the digit
/// model with <c>ml.Model.Save</c> and make this step again from it after <c>ml.Model.Load</c>.</summary>
public sealed class ReadNumberTransformer : ITransformer
{
    private readonly ITransformer mapping;

    internal ReadNumberTransformer(ITransformer mapping) => this.mapping = mapping;

    /// <inheritdoc />
    public bool IsRowToRowMapper => mapping.IsRowToRowMapper;

    /// <inheritdoc />
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => mapping.GetOutputSchema(inputSchema);

    /// <inheritdoc />
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => mapping.GetRowToRowMapper(inputSchema);

    /// <inheritdoc />
    public IDataView Transform(IDataView input) => mapping.Transform(input);

    /// <summary>Always throws: see the class's remarks.</summary>
    /// <exception cref="InvalidOperationException">Always, saying why and what to save instead.</exception>
    void ICanSaveModel.Save(ModelSaveContext ctx) =>
        throw new InvalidOperationException("A ReadNumber step cannot be saved: it holds a loaded digit model, which ML.NET's model " +
                                            "format cannot hold inside another step. Save the digit model (ml.Model.Save) instead " +
                                            "and add ml.Transforms.ReadNumber(model) again after loading it.");
}
