// ITransformer.cs — a fitted step that maps one data view to another, as in ML.NET.
namespace DigitsML;

/// <summary>A fitted transform or model. <see cref="Transform"/> is lazy: it checks the schema and returns a view
/// whose rows are computed as a cursor reads them.</summary>
public interface ITransformer
{
    /// <summary>The schema <see cref="Transform"/> gives for input with <paramref name="inputSchema"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An input column is missing or of the wrong type; the message names it and the type expected (ML.NET's schema mismatch).</exception>
    DataViewSchema GetOutputSchema(DataViewSchema inputSchema);

    /// <summary>A lazy view of <paramref name="input"/> with this transformer's columns added.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An input column is missing or of the wrong type; the message names it and the type expected (ML.NET's schema mismatch).</exception>
    IDataView Transform(IDataView input);
}
