// ObjectWriter.cs — writes the current row of a cursor into a user object (CreateEnumerable, prediction engines).
namespace DigitsML.Data;

/// <summary>Binds the writable members of <typeparamref name="TRow"/> to the columns of a schema by name, checking
/// types up front, and copies a row into an object.</summary>
internal sealed class ObjectWriter<TRow> where TRow : class
{
    private readonly (MemberColumn<TRow> Member, DataViewSchema.Column Column)[] bindings;

    /// <exception cref="ArgumentOutOfRangeException">A member's column is missing and <paramref name="ignoreMissingColumns"/>
    /// is false; the message names the column.</exception>
    /// <exception cref="InvalidOperationException">A column's type cannot be written into its member; the message names both.</exception>
    internal ObjectWriter(DataViewSchema schema, bool ignoreMissingColumns)
    {
        var list = new List<(MemberColumn<TRow>, DataViewSchema.Column)>();
        foreach (var member in ClassMapping<TRow>.Members.Where(m => m.CanWrite))
        {
            if (schema.GetColumnOrNull(member.Name) is not { } column)
            {
                if (ignoreMissingColumns)
                    continue;
                throw new ArgumentOutOfRangeException(nameof(schema),
                    $"Column '{member.Name}' of {typeof(TRow).Name} is not in the data; it has {SchemaErrors.DescribeColumns(schema)}.");
            }
            if (!member.Accepts(column.Type))
                throw new InvalidOperationException(
                    $"Column '{column.Name}' is {column.Type}; {typeof(TRow).Name}.{member.Member.Name} maps to {member.ColumnType} and cannot hold it.");
            list.Add((member, column));
        }
        bindings = [.. list];
    }

    /// <summary>The columns a cursor must make active.</summary>
    internal IEnumerable<DataViewSchema.Column> Columns => bindings.Select(b => b.Column);

    /// <summary>An action that copies <paramref name="row"/>'s current values into an object.</summary>
    internal Action<TRow> Bind(DataViewRow row)
    {
        var setters = bindings.Select(b => b.Member.MakeSetter(row, b.Column)).ToArray();
        return target =>
        {
            foreach (var set in setters)
                set(target);
        };
    }
}
