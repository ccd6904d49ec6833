// IDataView.cs — ML.NET's lazy table: a schema and cursors that stream its rows.
namespace DigitsML;

/// <summary>A lazy, read-only table: its <see cref="Schema"/> is known at once, its rows are produced only when a
/// cursor moves over them. Views are immutable; every transform returns a new view over its input.</summary>
public interface IDataView
{
    /// <summary>The columns.</summary>
    DataViewSchema Schema { get; }

    /// <summary>Whether <see cref="GetRowCursor"/> can give the rows in a random order when given a <see cref="Random"/>.</summary>
    bool CanShuffle { get; }

    /// <summary>The number of rows when it is known without a pass over the data; null otherwise.</summary>
    long? GetRowCount();

    /// <summary>A cursor over the rows that can read the <paramref name="columnsNeeded"/> (columns of <see cref="Schema"/>).</summary>
    /// <param name="columnsNeeded">The columns whose getters will be asked for; others may be skipped.</param>
    /// <param name="rand">When given and <see cref="CanShuffle"/> is true, the rows come in an order drawn from it.</param>
    /// <exception cref="ArgumentOutOfRangeException">A column is not of this schema.</exception>
    DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null);
}
