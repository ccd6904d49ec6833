// RowFilterDataView.cs — the rows of a view whose position passes a test (train/test splits and folds).
namespace DigitsML.Data;

/// <summary>Keeps the source rows for which <paramref name="keep"/>(position in the source) is true, in order.
/// The test depends only on the position, so the split is the same on every pass.</summary>
internal sealed class RowFilterDataView(IDataView source, Func<long, bool> keep) : IDataView
{
    private readonly Func<long, bool> keep = keep;

    public DataViewSchema Schema => source.Schema;

    public bool CanShuffle => false;

    public long? GetRowCount() => null;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var needed = columnsNeeded.ToList();
        return new Cursor(this, needed, source.GetRowCursor(needed));
    }

    private sealed class Cursor(RowFilterDataView view, IEnumerable<DataViewSchema.Column> columnsNeeded, DataViewRowCursor input)
        : PassThroughCursor(view.Schema, columnsNeeded, input)
    {
        protected override bool MoveNextCore()
        {
            while (Input.MoveNext())
                if (view.keep(Input.Position))
                    return true;
            return false;
        }
    }
}
