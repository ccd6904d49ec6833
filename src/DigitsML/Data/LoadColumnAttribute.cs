// LoadColumnAttribute.cs — ML.NET's text-file column positions, accepted so that ported classes compile.
namespace DigitsML.Data;

/// <summary>The position(s) of the member's values in a text file, as ML.NET's text loader reads them. DigitsML has
/// no text loader: <c>LoadFromEnumerable</c>, <c>CreateEnumerable</c> and prediction engines ignore this attribute, as
/// ML.NET's do, so a class written for ML.NET compiles and maps unchanged.</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class LoadColumnAttribute : Attribute
{
    /// <summary>The value at position <paramref name="fieldIndex"/>.</summary>
    public LoadColumnAttribute(int fieldIndex) : this([fieldIndex]) { }

    /// <summary>The values at positions <paramref name="start"/> to <paramref name="end"/>, inclusive.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="end"/> is before <paramref name="start"/>.</exception>
    public LoadColumnAttribute(int start, int end)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(end, start);
        ColumnIndexes = [.. Enumerable.Range(start, end - start + 1)];
    }

    /// <summary>The values at <paramref name="columnIndexes"/>.</summary>
    public LoadColumnAttribute(int[] columnIndexes)
    {
        ArgumentNullException.ThrowIfNull(columnIndexes);
        ColumnIndexes = [.. columnIndexes];
    }

    /// <summary>The positions in the file.</summary>
    public int[] ColumnIndexes { get; }
}
