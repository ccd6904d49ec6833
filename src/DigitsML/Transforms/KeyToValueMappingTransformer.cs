// KeyToValueMappingTransformer.cs — maps keys back to their values, read from the input's KeyValues annotation.
using System.Text.Json.Nodes;
using DigitsML.Data;
using DigitsML.Model;

namespace DigitsML.Transforms;

/// <summary>Adds a column of the values the input's keys stand for (from its KeyValues annotation, read when the
/// transformer is applied). Key 0 (missing) gives the type's missing value: NaN for floating point, default otherwise.</summary>
public sealed class KeyToValueMappingTransformer : OneToOneColumnTransformer
{
    internal KeyToValueMappingTransformer(string outputColumnName, string inputColumnName)
        : base(outputColumnName, inputColumnName)
    {
    }

    private protected override string Kind => "KeyToValueMapping";

    private protected override RowMapper MakeMapper(DataViewSchema schema)
    {
        var (column, values) = CheckInput(schema, InputColumnName);
        return new Mapper(this, schema, column, values);
    }

    /// <exception cref="ArgumentOutOfRangeException">The column is missing, not a key, or has no key values.</exception>
    internal static (DataViewSchema.Column Column, KeyValueSet Values) CheckInput(DataViewSchema schema, string name)
    {
        var column = SchemaErrors.Find(schema, "input", name);
        if (column.Type is not KeyDataViewType)
            throw SchemaErrors.Mismatch("input", name, "a key", column.Type.ToString()!);
        var values = KeyValueSet.FromColumn(column)
                     ?? throw SchemaErrors.Mismatch("input", name, "a key with KeyValues annotations", $"{column.Type} without them");
        return (column, values);
    }

    internal static KeyToValueMappingTransformer Load(JsonObject node, ModelLoadContext context) =>
        new(context.Text(node, "outputColumnName"), context.Text(node, "inputColumnName"));

    private sealed class Mapper(KeyToValueMappingTransformer parent, DataViewSchema schema, DataViewSchema.Column input, KeyValueSet values)
        : RowMapper(schema)
    {
        internal override IReadOnlyList<(string, DataViewType, DataViewSchema.Annotations)> Added { get; } =
            [(parent.OutputColumnName, values.ItemType, DataViewSchema.Annotations.Empty)];

        internal override IEnumerable<DataViewSchema.Column> Dependencies(int added) => [input];

        internal override Delegate MakeGetter(DataViewRow row, int added) => values.MakeValueGetter(KeyValueSet.KeyReader(row, input));
    }
}
