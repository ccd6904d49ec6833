// OneToOneColumnTransformer.cs — what every one-column transformer shares: bind the input column, add one column lazily
// per row, save the two column names.
using System.Text.Json.Nodes;
using DigitsML.Data;
using DigitsML.Model;

namespace DigitsML.Transforms;

/// <summary>A transformer that reads <see cref="OneToOneColumnTransformer.InputColumnName"/> and adds <see cref="OneToOneColumnTransformer.OutputColumnName"/>, computed
/// lazily per row (the role of ML.NET's <c>OneToOneTransformerBase</c>). Only DigitsML's own transformers derive from
/// it.</summary>
public abstract class OneToOneColumnTransformer : IPersistentTransformer
{
    private protected OneToOneColumnTransformer(string outputColumnName, string inputColumnName)
    {
        OutputColumnName = outputColumnName;
        InputColumnName = inputColumnName;
    }

    /// <summary>The column added (it hides an input column of the same name).</summary>
    public string OutputColumnName { get; }

    /// <summary>The column read.</summary>
    public string InputColumnName { get; }

    string IPersistentTransformer.Kind => Kind;

    /// <summary>The kind written to pipeline.json.</summary>
    private protected abstract string Kind { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException">The input column is missing or of the wrong type; the message names it.</exception>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => Bind(inputSchema).OutputSchema();

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException">The input column is missing or of the wrong type; the message names it.</exception>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new MappedDataView(input, Bind(input.Schema));
    }

    private RowMapper Bind(DataViewSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return MakeMapper(schema);
    }

    /// <summary>Checks the input column in <paramref name="schema"/> and returns the mapper adding the output column.</summary>
    private protected abstract RowMapper MakeMapper(DataViewSchema schema);

    void IPersistentTransformer.Save(JsonObject node, ModelSaveContext context)
    {
        node["outputColumnName"] = OutputColumnName;
        node["inputColumnName"] = InputColumnName;
        SaveSettings(node, context);
    }

    /// <summary>Writes the transformer's own settings after the column names; default none.</summary>
    private protected virtual void SaveSettings(JsonObject node, ModelSaveContext context)
    {
    }
}
