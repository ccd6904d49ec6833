// CachedDataView.cs — a view whose rows are read from its source once, on first use, and then served from memory.
namespace DigitsML.Data;

/// <summary>ML.NET's cache: the first cursor reads every row of the source into memory; every cursor after that
/// (shuffled or not) reads memory. Worth it before a trainer or evaluator makes several passes over an expensive view.</summary>
internal sealed class CachedDataView(IDataView source) : RandomAccessDataView
{
    private readonly Lock gate = new();
    private ColumnStore[]? stores;
    private int count;

    public override DataViewSchema Schema => source.Schema;

    protected override int RowCount
    {
        get
        {
            Fill();
            return count;
        }
    }

    private ColumnStore[] Fill()
    {
        lock (gate)
        {
            if (stores is not null)
                return stores;
            var filled = source.Schema.Select(c => ColumnStore.Create(c.Type)).ToArray();
            int rows = 0;
            using (var cursor = source.GetRowCursor(source.Schema))
            {
                foreach (var c in source.Schema)
                    filled[c.Index].Bind(cursor, c);
                while (cursor.MoveNext())
                {
                    foreach (var store in filled)
                        store.Store(rows);
                    rows = checked(rows + 1);
                }
            }
            count = rows;
            return stores = filled;
        }
    }

    protected override Delegate MakeGetter(int column, Func<int> row) => Fill()[column].MakeGetter(row);
}
