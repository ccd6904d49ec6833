// ValueToKeyMappingTransformer.cs — maps values to the keys MapValueToKey learnt, lazily per row.
using System.Text.Json.Nodes;
using DigitsML.Data;
using DigitsML.Model;

namespace DigitsML.Transforms;

/// <summary>Adds a key column (<c>Key&lt;UInt32, 0-(n−1)&gt;</c>, with the learnt values as KeyValues): a value's key
/// is its 1-based position among the learnt values; unseen and missing values get 0.</summary>
public sealed class ValueToKeyMappingTransformer : OneToOneColumnTransformer
{
    private readonly KeyValueSet values;

    internal ValueToKeyMappingTransformer(string outputColumnName, string inputColumnName, KeyValueSet values)
        : base(outputColumnName, inputColumnName)
    {
        this.values = values;
    }

    /// <summary>The number of values learnt, hence of keys.</summary>
    public int KeyCount => values.Count;

    private protected override string Kind => "ValueToKeyMapping";

    private protected override RowMapper MakeMapper(DataViewSchema schema)
    {
        var column = ValueToKeyMappingEstimator.CheckInput(schema, InputColumnName);
        if (!column.Type.Equals(values.ItemType))
            throw SchemaErrors.Mismatch("input", InputColumnName, values.ItemType.ToString()!, column.Type.ToString()!,
                "The values were learnt from a column of that type.");
        return new Mapper(this, schema, column);
    }

    private protected override void SaveSettings(JsonObject node, ModelSaveContext context)
    {
        node["valueType"] = SchemaJson.WriteType(values.ItemType);
        node["values"] = values.ToJson();
    }

    internal static ValueToKeyMappingTransformer Load(JsonObject node, ModelLoadContext context)
    {
        if (SchemaJson.ReadType(context.Object(node, "valueType"), context) is not PrimitiveDataViewType type)
            throw context.Error("the key values' type must be primitive");
        var values = KeyValueSet.FromJson(type, context.Array(node, "values"), context.Source);
        return new ValueToKeyMappingTransformer(context.Text(node, "outputColumnName"), context.Text(node, "inputColumnName"), values);
    }

    private sealed class Mapper(ValueToKeyMappingTransformer parent, DataViewSchema schema, DataViewSchema.Column input) : RowMapper(schema)
    {
        internal override IReadOnlyList<(string, DataViewType, DataViewSchema.Annotations)> Added { get; } =
            [(parent.OutputColumnName, parent.values.KeyType, parent.values.ToAnnotations())];

        internal override IEnumerable<DataViewSchema.Column> Dependencies(int added) => [input];

        internal override Delegate MakeGetter(DataViewRow row, int added) =>
            parent.values.MakeKeyGetter(Getters.Untyped(row, input));
    }
}
