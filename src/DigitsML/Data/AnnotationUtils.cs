// AnnotationUtils.cs — the names of the standard column annotations and helpers to read them.
namespace DigitsML.Data;

/// <summary>The standard annotation kinds and helpers that read them from a column.</summary>
public static class AnnotationUtils
{
    /// <summary>Annotation kinds.</summary>
    public static class Kinds
    {
        /// <summary>The names of a vector column's items (a vector of text the size of the column): for
        /// <c>Score</c>, the class names.</summary>
        public const string SlotNames = "SlotNames";

        /// <summary>The values a key column indexes, in key order (key 1 is the first value).</summary>
        public const string KeyValues = "KeyValues";
    }

    /// <summary>Whether <paramref name="column"/> has text slot names of its vector size.</summary>
    public static bool HasSlotNames(this DataViewSchema.Column column) =>
        column.Annotations.TypeOf(Kinds.SlotNames) is VectorDataViewType { ItemType: TextDataViewType } names
        && column.Type is VectorDataViewType { IsKnownSize: true } vector && names.Size == vector.Size;

    /// <summary>Reads <paramref name="column"/>'s slot names.</summary>
    /// <exception cref="InvalidOperationException">The column has no slot names.</exception>
    public static void GetSlotNames(this DataViewSchema.Column column, ref VBuffer<ReadOnlyMemory<char>> slotNames) =>
        column.Annotations.GetValue(Kinds.SlotNames, ref slotNames);

    /// <summary>Whether <paramref name="column"/> is a key with key values, optionally of <paramref name="valueType"/>.</summary>
    public static bool HasKeyValues(this DataViewSchema.Column column, PrimitiveDataViewType? valueType = null) =>
        column.Type is KeyDataViewType key
        && column.Annotations.TypeOf(Kinds.KeyValues) is VectorDataViewType values
        && (ulong)values.Size == key.Count
        && (valueType is null || values.ItemType.Equals(valueType));

    /// <summary>Reads the values <paramref name="column"/>'s keys index.</summary>
    /// <exception cref="InvalidOperationException">The column has no key values of type <typeparamref name="TValue"/>.</exception>
    public static void GetKeyValues<TValue>(this DataViewSchema.Column column, ref VBuffer<TValue> keyValues) =>
        column.Annotations.GetValue(Kinds.KeyValues, ref keyValues);
}
