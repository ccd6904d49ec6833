// SkipTakeDataView.cs — the rows of a view after skipping some and up to a count (SkipRows, TakeRows).
namespace DigitsML.Data;

/// <summary>Rows <paramref name="skip"/> to <paramref name="skip"/> + <paramref name="take"/> − 1 of the source, in
/// the source's order. Streaming: the source is read only as far as needed.</summary>
internal sealed class SkipTakeDataView(IDataView source, long skip, long take) : IDataView
{
    private readonly long skip = skip;
    private readonly long take = take;

    public DataViewSchema Schema => source.Schema;

    public bool CanShuffle => false;

    public long? GetRowCount() => source.GetRowCount() is long n ? Math.Clamp(n - skip, 0, take) : null;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var needed = columnsNeeded.ToList();
        return new Cursor(this, needed, source.GetRowCursor(needed));
    }

    private sealed class Cursor(SkipTakeDataView view, IEnumerable<DataViewSchema.Column> columnsNeeded, DataViewRowCursor input)
        : PassThroughCursor(view.Schema, columnsNeeded, input)
    {
        private long served;

        protected override bool MoveNextCore()
        {
            if (served >= view.take)
                return false;
            while (Input.Position + 1 < view.skip)
                if (!Input.MoveNext())
                    return false;
            if (!Input.MoveNext())
                return false;
            served++;
            return true;
        }
    }
}
