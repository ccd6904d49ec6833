// RowMapper.cs — a transform's per-row work bound to one input schema: the columns it adds and how to compute them.
namespace DigitsML.Data;

/// <summary>Adds columns computed from the current input row. Bound to <see cref="InputSchema"/> when created (the
/// transform checks columns and types then), so getters need no further checks.</summary>
internal abstract class RowMapper(DataViewSchema inputSchema)
{
    internal DataViewSchema InputSchema { get; } = inputSchema;

    /// <summary>The added columns, appended after the input's.</summary>
    internal abstract IReadOnlyList<(string Name, DataViewType Type, DataViewSchema.Annotations Annotations)> Added { get; }

    /// <summary>The input columns added column <paramref name="added"/> reads.</summary>
    internal abstract IEnumerable<DataViewSchema.Column> Dependencies(int added);

    /// <summary>A getter of added column <paramref name="added"/> reading <paramref name="input"/>'s current row.</summary>
    internal abstract Delegate MakeGetter(DataViewRow input, int added);

    /// <summary>The output schema: the input's columns, then the added ones (hiding input columns of the same names).</summary>
    internal DataViewSchema OutputSchema() => InputSchema.Append(Added);
}
