// DataValueException.cs — a value in a data view that training or scoring cannot use: NaN or infinite features, no rows.
namespace DigitsML;

/// <summary>The rows of a data view hold a value DigitsML cannot train on or score (a NaN or infinite feature), or there
/// are no rows where some are needed. The message names the column and the row; <see cref="ColumnName"/> and
/// <see cref="Row"/> hold them.</summary>
public sealed class DataValueException : DigitsMLException
{
    /// <summary>Creates the exception for a column and, when one row is at fault, its position.</summary>
    public DataValueException(string columnName, long? row, string message) : base(message)
    {
        ColumnName = columnName;
        Row = row;
    }

    /// <summary>The column at fault.</summary>
    public string ColumnName { get; }

    /// <summary>The 0-based position of the row at fault in the view read, or null when no single row is (empty data).</summary>
    public long? Row { get; }
}
