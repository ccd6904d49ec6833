// ValueToKeyMappingEstimator.cs — learns the distinct values of a column so they can become keys (MapValueToKey).
using DigitsML.Data;

namespace DigitsML.Transforms;

/// <summary>Fitting reads the input column once and collects its distinct values (NaN is missing and skipped); the
/// transformer then maps each value to its key (1-based; 0 for values it has not seen) and records the values as
/// the key column's KeyValues. Reached as <c>ml.Transforms.Conversion.MapValueToKey</c>.</summary>
public sealed class ValueToKeyMappingEstimator : IEstimator<ValueToKeyMappingTransformer>
{
    private readonly string outputColumnName;
    private readonly string inputColumnName;
    private readonly int maximumNumberOfKeys;
    private readonly KeyOrdinality keyOrdinality;

    internal ValueToKeyMappingEstimator(string outputColumnName, string? inputColumnName, int maximumNumberOfKeys, KeyOrdinality keyOrdinality)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputColumnName);
        ArgumentOutOfRangeException.ThrowIfLessThan(maximumNumberOfKeys, 1);
        if (!Enum.IsDefined(keyOrdinality))
            throw new ArgumentOutOfRangeException(nameof(keyOrdinality), keyOrdinality, "Unknown key ordinality.");
        this.outputColumnName = outputColumnName;
        this.inputColumnName = inputColumnName ?? outputColumnName;
        this.maximumNumberOfKeys = maximumNumberOfKeys;
        this.keyOrdinality = keyOrdinality;
    }

    /// <summary>Collects the values and returns the transformer that maps them.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The input column is missing or not a scalar number, text or
    /// boolean; the message names it.</exception>
    /// <exception cref="InvalidOperationException">The column holds no value (only missing ones).</exception>
    public ValueToKeyMappingTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var column = CheckInput(input.Schema, inputColumnName);
        var values = KeyValueSet.Collect(input, column, maximumNumberOfKeys, keyOrdinality == KeyOrdinality.ByValue);
        if (values.Count == 0)
            throw new InvalidOperationException($"Column '{inputColumnName}' holds no values to map to keys (it is empty or all missing).");
        return new ValueToKeyMappingTransformer(outputColumnName, inputColumnName, values);
    }

    /// <summary>Adds a scalar key column of <c>UInt32</c> with key values of the input's type.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The input column is missing or of a type that cannot be mapped.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var input = SchemaErrors.Find(inputSchema, "input", inputColumnName);
        if (input.Kind != SchemaShape.Column.VectorKind.Scalar || input.IsKey)
            throw SchemaErrors.Mismatch("input", inputColumnName, "a scalar number, text or boolean", input.GetTypeString());
        var annotations = new SchemaShape([new SchemaShape.Column(AnnotationUtils.Kinds.KeyValues,
            SchemaShape.Column.VectorKind.Vector, input.ItemType, false)]);
        var output = new SchemaShape.Column(outputColumnName, SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.UInt32, true, annotations);
        return new SchemaShape(inputSchema.Append(output));
    }

    /// <exception cref="ArgumentOutOfRangeException">The column is missing or of a type that cannot be mapped.</exception>
    internal static DataViewSchema.Column CheckInput(DataViewSchema schema, string name)
    {
        var column = SchemaErrors.Find(schema, "input", name);
        if (column.Type is not (NumberDataViewType or TextDataViewType or BooleanDataViewType))
            throw SchemaErrors.Mismatch("input", name, "a scalar number, text or boolean", column.Type.ToString()!);
        return column;
    }
}
