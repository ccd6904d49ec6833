// EnumerableDataView.cs — a sequence of user objects as a streaming data view (ml.Data.LoadFromEnumerable).
namespace DigitsML.Data;

/// <summary>Streams <typeparamref name="TRow"/> objects: each cursor enumerates the sequence again and reads members
/// only when their getters are called. Vectors are copied out of the objects, so later changes to an object's array
/// do not reach rows already read.</summary>
internal sealed class EnumerableDataView<TRow> : IDataView where TRow : class
{
    private readonly IEnumerable<TRow> data;
    private readonly MemberColumn<TRow>[] members;

    internal EnumerableDataView(IEnumerable<TRow> data)
    {
        this.data = data;
        members = [.. ClassMapping<TRow>.Members.Where(m => m.CanRead)];
        Schema = ClassMapping<TRow>.ReadSchema();
    }

    public DataViewSchema Schema { get; }

    /// <summary>False: a sequence can only be enumerated in its own order (as ML.NET's streaming view).</summary>
    public bool CanShuffle => false;

    public long? GetRowCount() => data switch
    {
        ICollection<TRow> c => c.Count,
        IReadOnlyCollection<TRow> r => r.Count,
        _ => null,
    };

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new Cursor(this, columnsNeeded);

    private sealed class Cursor(EnumerableDataView<TRow> view, IEnumerable<DataViewSchema.Column> columnsNeeded)
        : CursorBase(view.Schema, columnsNeeded)
    {
        private readonly IEnumerator<TRow> rows = view.data.GetEnumerator();
        private TRow? current;
        private long index = -1;

        private TRow Current => current ?? throw new InvalidOperationException(
            index < 0 ? "The cursor has not moved to a row yet: call MoveNext first." : $"Row {index} of the sequence is null.");

        protected override bool MoveNextCore()
        {
            if (!rows.MoveNext())
                return false;
            current = rows.Current;
            index++;
            return true;
        }

        protected override Delegate MakeGetter(int column) => view.members[column].MakeGetter(() => Current);

        protected override void Dispose(bool disposing)
        {
            if (disposing && !Disposed)
                rows.Dispose();
            base.Dispose(disposing);
        }
    }
}
