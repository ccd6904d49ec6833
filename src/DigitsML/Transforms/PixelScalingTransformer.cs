// PixelScalingTransformer.cs — applies (x + offset) × scale to every item of a numeric vector, lazily per row.
using System.Numerics;
using System.Text.Json.Nodes;
using DigitsML.Data;
using DigitsML.Model;

namespace DigitsML.Transforms;

/// <summary>Adds a <c>Single</c> vector with the input's dimensions holding (x + <see cref="Offset"/>) × <see cref="Scale"/>.</summary>
public sealed class PixelScalingTransformer : OneToOneColumnTransformer
{
    internal PixelScalingTransformer(string outputColumnName, string inputColumnName, float scale, float offset)
        : base(outputColumnName, inputColumnName)
    {
        Scale = scale;
        Offset = offset;
    }

    /// <summary>Multiplies every item after the offset is added.</summary>
    public float Scale { get; }

    /// <summary>Added to every item before scaling.</summary>
    public float Offset { get; }

    private protected override string Kind => "PixelScaling";

    private protected override RowMapper MakeMapper(DataViewSchema schema)
    {
        var (column, vector) = CheckInput(schema, InputColumnName);
        return new Mapper(this, schema, column, new VectorDataViewType(NumberDataViewType.Single, [.. vector.Dimensions]));
    }

    /// <exception cref="ArgumentOutOfRangeException">The column is missing or not a vector of numbers.</exception>
    internal static (DataViewSchema.Column Column, VectorDataViewType Type) CheckInput(DataViewSchema schema, string name)
    {
        var column = SchemaErrors.Find(schema, "input", name);
        if (column.Type is not VectorDataViewType { ItemType: NumberDataViewType } vector)
            throw SchemaErrors.Mismatch("input", name, "a vector of numbers", column.Type.ToString()!);
        return (column, vector);
    }

    private protected override void SaveSettings(JsonObject node, ModelSaveContext context)
    {
        node["scale"] = Scale;
        node["offset"] = Offset;
    }

    internal static PixelScalingTransformer Load(JsonObject node, ModelLoadContext context)
    {
        float scale = context.Value<float>(node, "scale"), offset = context.Value<float>(node, "offset");
        if (!float.IsFinite(scale) || scale == 0 || !float.IsFinite(offset))
            throw context.Error($"pixel scale {scale} and offset {offset} are not valid");
        return new PixelScalingTransformer(context.Text(node, "outputColumnName"), context.Text(node, "inputColumnName"), scale, offset);
    }

    private sealed class Mapper(PixelScalingTransformer parent, DataViewSchema schema, DataViewSchema.Column input, VectorDataViewType output)
        : RowMapper(schema)
    {
        internal override IReadOnlyList<(string, DataViewType, DataViewSchema.Annotations)> Added { get; } =
            [(parent.OutputColumnName, output, DataViewSchema.Annotations.Empty)];

        internal override IEnumerable<DataViewSchema.Column> Dependencies(int added) => [input];

        internal override Delegate MakeGetter(DataViewRow row, int added)
        {
            var scaler = (IScaler)Activator.CreateInstance(typeof(Scaler<>).MakeGenericType(input.Type is VectorDataViewType v ? v.ItemType.RawType : typeof(float)))!;
            return scaler.Make(row, input, parent.Scale, parent.Offset);
        }
    }

    private interface IScaler
    {
        ValueGetter<VBuffer<float>> Make(DataViewRow row, DataViewSchema.Column column, float scale, float offset);
    }

    private sealed class Scaler<T> : IScaler where T : INumberBase<T>
    {
        public ValueGetter<VBuffer<float>> Make(DataViewRow row, DataViewSchema.Column column, float scale, float offset)
        {
            var get = row.GetGetter<VBuffer<T>>(column);
            VBuffer<T> source = default;
            return (ref VBuffer<float> value) =>
            {
                get(ref source);
                var items = source.GetValues();
                var target = VBuffer<float>.Prepare(ref value, items.Length);
                for (int i = 0; i < items.Length; i++)
                    target[i] = (float.CreateTruncating(items[i]) + offset) * scale;
            };
        }
    }
}
