// KeyToValueMappingEstimator.cs — turns a key column back into the values its keys stand for (MapKeyToValue).
using DigitsML.Data;

namespace DigitsML.Transforms;

/// <summary>Needs no data: fitting only checks that the input is a key column with KeyValues. Reached as
/// <c>ml.Transforms.Conversion.MapKeyToValue</c>.</summary>
public sealed class KeyToValueMappingEstimator : IEstimator<KeyToValueMappingTransformer>
{
    private readonly string outputColumnName;
    private readonly string inputColumnName;

    internal KeyToValueMappingEstimator(string outputColumnName, string? inputColumnName)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputColumnName);
        this.outputColumnName = outputColumnName;
        this.inputColumnName = inputColumnName ?? outputColumnName;
    }

    /// <summary>Checks the input column and returns the transformer.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The input column is missing, not a key, or has no key values.</exception>
    public KeyToValueMappingTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        KeyToValueMappingTransformer.CheckInput(input.Schema, inputColumnName);
        return new KeyToValueMappingTransformer(outputColumnName, inputColumnName);
    }

    /// <summary>Adds a scalar column of the key values' type.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The input column is missing, not a scalar key, or has no key values.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var input = SchemaErrors.Find(inputSchema, "input", inputColumnName);
        if (!input.IsKey || input.Kind != SchemaShape.Column.VectorKind.Scalar)
            throw SchemaErrors.Mismatch("input", inputColumnName, "a scalar key", input.GetTypeString());
        if (!input.Annotations.TryFindColumn(AnnotationUtils.Kinds.KeyValues, out var values))
            throw SchemaErrors.Mismatch("input", inputColumnName, "a key with KeyValues annotations", $"{input.GetTypeString()} without them");
        var output = new SchemaShape.Column(outputColumnName, SchemaShape.Column.VectorKind.Scalar, values.ItemType, false);
        return new SchemaShape(inputSchema.Append(output));
    }
}
