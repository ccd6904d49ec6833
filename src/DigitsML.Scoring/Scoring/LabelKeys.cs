// LabelKeys.cs — a label key's values, whatever their type: as class names, as the tables that map a class index back to
// its key, and as an annotation type. One switch over ML.NET's primitive types picks the typed implementation.
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DigitsML.Scoring;

/// <summary>The key values of a label column (the <c>KeyValues</c> annotation <c>MapValueToKey</c> writes), typed once.</summary>
internal abstract class LabelKeys
{
    /// <summary>The label's key values, or key values "0" … "K−1" (UInt32 indices) for a key without values: what
    /// <c>MapValueToKey</c> gives <c>PredictedLabel</c> in either case.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The key values are of a type <c>MapValueToKey</c> does not take.</exception>
    internal static LabelKeys Of(DataViewSchema.Column label)
    {
        var keyValues = label.Annotations.Schema.GetColumnOrNull(SchemaShapes.KeyValues);
        if (keyValues?.Type is VectorDataViewType { ItemType: PrimitiveDataViewType type })
            return For(type).Read(label);
        int count = checked((int)((KeyDataViewType)label.Type).Count);
        return new Typed<uint>(NumberDataViewType.UInt32, [.. Enumerable.Range(0, count).Select(i => (uint)i)]);
    }

    /// <summary>Empty key values of <paramref name="type"/>, for shapes.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A type <c>MapValueToKey</c> does not take.</exception>
    internal static LabelKeys For(PrimitiveDataViewType type) => type.RawType switch
    {
        var t when t == typeof(float) => new Typed<float>(type, []),
        var t when t == typeof(double) => new Typed<double>(type, []),
        var t when t == typeof(ReadOnlyMemory<char>) => new Typed<ReadOnlyMemory<char>>(type, []),
        var t when t == typeof(bool) => new Typed<bool>(type, []),
        var t when t == typeof(sbyte) => new Typed<sbyte>(type, []),
        var t when t == typeof(byte) => new Typed<byte>(type, []),
        var t when t == typeof(short) => new Typed<short>(type, []),
        var t when t == typeof(ushort) => new Typed<ushort>(type, []),
        var t when t == typeof(int) => new Typed<int>(type, []),
        var t when t == typeof(uint) => new Typed<uint>(type, []),
        var t when t == typeof(long) => new Typed<long>(type, []),
        var t when t == typeof(ulong) => new Typed<ulong>(type, []),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, $"Label key values of type {type} are not supported."),
    };

    /// <summary>The classes as text, in key order ("0" … "9").</summary>
    internal abstract IReadOnlyList<string> Names { get; }

    /// <summary>The index → key value table (columns Index, Value) and the key values in key order (column Value).</summary>
    internal abstract (IDataView Lookup, IDataView KeyData) Tables(MLContext ml);

    /// <summary>Adds a <c>KeyValues</c> annotation of these values' type to a schema definition column (for shapes:
    /// the value is never read).</summary>
    internal abstract void AddKeyValuesAnnotation(SchemaDefinition.Column column, int count);

    /// <summary>These key values filled from <paramref name="label"/>'s annotation.</summary>
    private protected abstract LabelKeys Read(DataViewSchema.Column label);

    private sealed class Typed<T>(PrimitiveDataViewType type, T[] values) : LabelKeys
    {
        internal override IReadOnlyList<string> Names { get; } =
            [.. values.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "")];

        internal override (IDataView Lookup, IDataView KeyData) Tables(MLContext ml)
        {
            var lookupSchema = SchemaDefinition.Create(typeof(LookupRow));
            lookupSchema["Value"].ColumnType = type;
            var keySchema = SchemaDefinition.Create(typeof(ValueRow));
            keySchema["Value"].ColumnType = type;
            return (ml.Data.LoadFromEnumerable(values.Select((v, i) => new LookupRow { Index = (uint)i, Value = v }).ToList(), lookupSchema),
                ml.Data.LoadFromEnumerable(values.Select(v => new ValueRow { Value = v }).ToList(), keySchema));
        }

        internal override void AddKeyValuesAnnotation(SchemaDefinition.Column column, int count) =>
            column.AddAnnotation(SchemaShapes.KeyValues, new VBuffer<T>(count, new T[count]), new VectorDataViewType(type, count));

        private protected override LabelKeys Read(DataViewSchema.Column label)
        {
            VBuffer<T> buffer = default;
            label.GetKeyValues(ref buffer);
            return new Typed<T>(type, [.. buffer.DenseValues()]);
        }

        private sealed class LookupRow
        {
            public uint Index { get; set; }
            public T Value { get; set; } = default!;
        }

        private sealed class ValueRow
        {
            public T Value { get; set; } = default!;
        }
    }
}
