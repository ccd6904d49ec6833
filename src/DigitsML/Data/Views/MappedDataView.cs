// MappedDataView.cs — a view that adds a RowMapper's columns to its source, lazily, row by row.
namespace DigitsML.Data;

/// <summary>The source's rows with the mapper's columns added. Nothing is computed until a getter of an added column
/// is called; only the input columns that the active columns need are asked of the source.</summary>
internal sealed class MappedDataView : IDataView
{
    private readonly IDataView source;
    private readonly RowMapper mapper;

    internal MappedDataView(IDataView source, RowMapper mapper)
    {
        this.source = source;
        this.mapper = mapper;
        Schema = mapper.OutputSchema();
    }

    public DataViewSchema Schema { get; }

    public bool CanShuffle => source.CanShuffle;

    public long? GetRowCount() => source.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var active = CursorBase.ActiveFlags(Schema, columnsNeeded);
        int passed = source.Schema.Count;
        var needed = new HashSet<int>();
        for (int i = 0; i < active.Length; i++)
        {
            if (!active[i])
                continue;
            if (i < passed)
                needed.Add(i);
            else
                needed.UnionWith(mapper.Dependencies(i - passed).Select(c => c.Index));
        }
        var input = source.GetRowCursor(needed.Select(i => source.Schema[i]), rand);
        return new Cursor(this, Schema.Where(c => active[c.Index]), input);
    }

    private sealed class Cursor(MappedDataView view, IEnumerable<DataViewSchema.Column> columnsNeeded, DataViewRowCursor input)
        : PassThroughCursor(view.Schema, columnsNeeded, input)
    {
        protected override bool MoveNextCore() => Input.MoveNext();

        protected override Delegate MakeGetter(int column)
        {
            int passed = view.source.Schema.Count;
            return column < passed ? base.MakeGetter(column) : view.mapper.MakeGetter(Input, column - passed);
        }
    }
}
