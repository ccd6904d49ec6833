// BlankRowDataView.cs — one row of a given schema with every value blank (zeros, empty text, missing keys), for a loaded
// model's warm-up prediction.
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DigitsML.Models;

/// <summary>A data view of one row in <see cref="Schema"/>: numbers 0, booleans false, text empty, keys missing, and
/// vectors of their declared size holding zeros (a blank 28 × 28 image is 784 zeros). Only the types
/// <see cref="CanFill"/> accepts are offered.</summary>
internal sealed class BlankRowDataView(DataViewSchema schema) : IDataView
{
    private static readonly Type[] ItemTypes =
    [
        typeof(float), typeof(double), typeof(sbyte), typeof(byte), typeof(short), typeof(ushort), typeof(int), typeof(uint),
        typeof(long), typeof(ulong), typeof(bool), typeof(ReadOnlyMemory<char>),
    ];

    public DataViewSchema Schema { get; } = schema;

    public bool CanShuffle => false;

    /// <summary>Whether a column of this type can be given a blank value here.</summary>
    public static bool CanFill(DataViewSchema.Column column) =>
        ItemTypes.Contains((column.Type is VectorDataViewType vector ? vector.ItemType : column.Type).RawType);

    public long? GetRowCount() => 1;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) => new Cursor(Schema);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) => [new Cursor(Schema)];

    private sealed class Cursor(DataViewSchema schema) : DataViewRowCursor
    {
        private long position = -1;

        public override DataViewSchema Schema => schema;

        public override long Position => position;

        public override long Batch => 0;

        public override bool MoveNext()
        {
            if (position >= 0)
                return false;
            position = 0;
            return true;
        }

        public override bool IsColumnActive(DataViewSchema.Column column) => true;

        public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) => id = new DataViewRowId(0, 0);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (column.Type is not VectorDataViewType vector)
                return (ref TValue value) => value = default!;
            int size = vector.Size;
            return Vector<float>(size) as ValueGetter<TValue> ?? Vector<double>(size) as ValueGetter<TValue>
                ?? Vector<sbyte>(size) as ValueGetter<TValue> ?? Vector<byte>(size) as ValueGetter<TValue>
                ?? Vector<short>(size) as ValueGetter<TValue> ?? Vector<ushort>(size) as ValueGetter<TValue>
                ?? Vector<int>(size) as ValueGetter<TValue> ?? Vector<uint>(size) as ValueGetter<TValue>
                ?? Vector<long>(size) as ValueGetter<TValue> ?? Vector<ulong>(size) as ValueGetter<TValue>
                ?? Vector<bool>(size) as ValueGetter<TValue> ?? Vector<ReadOnlyMemory<char>>(size) as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"Column '{column.Name}' of type {column.Type} has no blank value here.");
        }

        /// <summary>A vector of <paramref name="size"/> default values, stored sparse (no explicit value).</summary>
        private static ValueGetter<VBuffer<TItem>> Vector<TItem>(int size) =>
            (ref VBuffer<TItem> value) => value = new VBuffer<TItem>(size, 0, [], []);
    }
}
