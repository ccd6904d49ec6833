// KeyValueSet.cs — the values a key column indexes (key k ↔ value k − 1): built by MapValueToKey, carried as
// KeyValues annotations, turned into class names, mapped back by MapKeyToValue and saved in model files.
using System.Diagnostics;
using System.Text.Json.Nodes;

namespace DigitsML.Data;

/// <summary>An ordered set of distinct values of one primitive type; key k (1-based) stands for value k − 1.</summary>
internal abstract class KeyValueSet
{
    internal abstract PrimitiveDataViewType ItemType { get; }

    internal abstract int Count { get; }

    /// <summary>The key type over these values: <c>Key&lt;UInt32, 0-(Count−1)&gt;</c>.</summary>
    internal KeyDataViewType KeyType => new(typeof(uint), Count);

    /// <summary>Value <paramref name="index"/> (0-based) as text, as ML.NET names classes in slot names.</summary>
    internal abstract string Text(int index);

    /// <summary>Annotations holding these values as <see cref="AnnotationUtils.Kinds.KeyValues"/>.</summary>
    internal abstract DataViewSchema.Annotations ToAnnotations();

    /// <summary>Slot names: the values as text.</summary>
    internal DataViewSchema.Annotations ToSlotNames()
    {
        var names = Enumerable.Range(0, Count).Select(i => Text(i).AsMemory()).ToArray();
        var builder = new DataViewSchema.Annotations.Builder();
        builder.AddSlotNames(names.Length, (ref VBuffer<ReadOnlyMemory<char>> value) => VBuffer<ReadOnlyMemory<char>>.Assign(ref value, names));
        return builder.ToAnnotations();
    }

    internal abstract JsonArray ToJson();

    /// <summary>A getter of the value that <paramref name="key"/>'s key stands for; key 0 (missing) and keys past
    /// the end give the type's missing value (NaN for floating point, default otherwise).</summary>
    internal abstract Delegate MakeValueGetter(Func<ulong> key);

    /// <summary>A getter of the key of <paramref name="valueGetter"/>'s value (a <see cref="ValueGetter{TValue}"/> of
    /// <see cref="ItemType"/>); values not in the set and missing values give 0.</summary>
    internal abstract ValueGetter<uint> MakeKeyGetter(Delegate valueGetter);

    internal abstract bool SameValues(KeyValueSet other);

    /// <summary>The values a key column's KeyValues annotation holds, or null when it has none.</summary>
    internal static KeyValueSet? FromColumn(DataViewSchema.Column column)
    {
        if (!column.HasKeyValues() || column.Annotations.TypeOf(AnnotationUtils.Kinds.KeyValues) is not VectorDataViewType type)
            return null;
        return Create(type.ItemType, set => set.ReadAnnotation(column));
    }

    /// <summary>Distinct non-missing values of <paramref name="column"/> of <paramref name="data"/>, at most
    /// <paramref name="maximum"/>, in order of first occurrence or sorted.</summary>
    internal static KeyValueSet Collect(IDataView data, DataViewSchema.Column column, int maximum, bool sortByValue) =>
        Create((PrimitiveDataViewType)column.Type, set => set.CollectCore(data, column, maximum, sortByValue));

    /// <exception cref="DataFormatException">The JSON does not hold values of <paramref name="itemType"/>.</exception>
    internal static KeyValueSet FromJson(PrimitiveDataViewType itemType, JsonArray json, string source) =>
        Create(itemType, set => set.ReadJson(json, source));

    private static KeyValueSet Create(PrimitiveDataViewType itemType, Action<KeyValueSet> fill)
    {
        var set = (KeyValueSet)Activator.CreateInstance(typeof(KeyValueSet<>).MakeGenericType(itemType.RawType), itemType)!;
        fill(set);
        return set;
    }

    private protected abstract void ReadAnnotation(DataViewSchema.Column column);

    private protected abstract void CollectCore(IDataView data, DataViewSchema.Column column, int maximum, bool sortByValue);

    private protected abstract void ReadJson(JsonArray json, string source);

    /// <summary>A reader of any key column's raw value as <see cref="ulong"/>.</summary>
    internal static Func<ulong> KeyReader(DataViewRow row, DataViewSchema.Column column)
    {
        Debug.Assert(column.Type is KeyDataViewType, "not a key column");
        switch (column.Type.RawType)
        {
            case var t when t == typeof(uint):
            {
                var get = row.GetGetter<uint>(column);
                uint v = 0;
                return () => { get(ref v); return v; };
            }
            case var t when t == typeof(byte):
            {
                var get = row.GetGetter<byte>(column);
                byte v = 0;
                return () => { get(ref v); return v; };
            }
            case var t when t == typeof(ushort):
            {
                var get = row.GetGetter<ushort>(column);
                ushort v = 0;
                return () => { get(ref v); return v; };
            }
            default:
            {
                var get = row.GetGetter<ulong>(column);
                ulong v = 0;
                return () => { get(ref v); return v; };
            }
        }
    }
}
