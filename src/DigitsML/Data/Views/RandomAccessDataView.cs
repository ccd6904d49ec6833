// RandomAccessDataView.cs — the base of views whose rows live in memory and can be read in any order.
namespace DigitsML.Data;

/// <summary>A view of <see cref="RowCount"/> rows that can be visited in any order, so it can shuffle: given a
/// <see cref="Random"/>, a cursor visits a permutation drawn from it.</summary>
internal abstract class RandomAccessDataView : IDataView
{
    public abstract DataViewSchema Schema { get; }

    public bool CanShuffle => true;

    /// <summary>Rows in the view; may load the data on first use.</summary>
    protected abstract int RowCount { get; }

    public long? GetRowCount() => RowCount;

    /// <summary>A getter of column <paramref name="column"/> that reads row <paramref name="row"/>() at each call.</summary>
    protected abstract Delegate MakeGetter(int column, Func<int> row);

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        int count = RowCount;
        int[]? order = null;
        if (rand is not null)
        {
            order = Enumerable.Range(0, count).ToArray();
            rand.Shuffle(order);
        }
        return new Cursor(this, columnsNeeded, count, order);
    }

    private sealed class Cursor(RandomAccessDataView view, IEnumerable<DataViewSchema.Column> columnsNeeded, int count, int[]? order)
        : CursorBase(view.Schema, columnsNeeded)
    {
        private int index = -1;

        private int Row => index >= 0 && index < count
            ? order is null ? index : order[index]
            : throw new InvalidOperationException("The cursor is not on a row: call MoveNext first, and read only while it returns true.");

        protected override bool MoveNextCore() => ++index < count;

        protected override Delegate MakeGetter(int column) => view.MakeGetter(column, () => Row);
    }
}
