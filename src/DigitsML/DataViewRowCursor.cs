// DataViewRowCursor.cs — a row that moves forward over a data view.
namespace DigitsML;

/// <summary>A forward-only cursor over the rows of a data view. Getters read the current row.</summary>
public abstract class DataViewRowCursor : DataViewRow
{
    /// <summary>Moves to the next row; false when there is none (or the cursor is disposed).</summary>
    public abstract bool MoveNext();
}
