// CursorBase.cs — what every DigitsML cursor shares: position, active columns and checked, typed getters.
using System.Diagnostics;

namespace DigitsML.Data;

/// <summary>A cursor over <see cref="Schema"/> with the active set fixed at creation. Subclasses move
/// (<see cref="MoveNextCore"/>) and make untyped getters (<see cref="MakeGetter"/>); this class checks that a
/// getter asked for is of the schema, active and of the column's raw type.</summary>
internal abstract class CursorBase : DataViewRowCursor
{
    private readonly bool[] active;
    private long position = -1;
    private bool finished;

    protected CursorBase(DataViewSchema schema, IEnumerable<DataViewSchema.Column> columnsNeeded)
    {
        Schema = schema;
        active = ActiveFlags(schema, columnsNeeded);
    }

    public override DataViewSchema Schema { get; }

    public override long Position => position;

    public override long Batch => 0;

    protected bool Disposed { get; private set; }

    /// <summary>Which columns are active, by index.</summary>
    protected IReadOnlyList<bool> Active => active;

    public override bool IsColumnActive(DataViewSchema.Column column) => active[CheckColumn(Schema, column)];

    public sealed override bool MoveNext()
    {
        if (Disposed || finished)
            return false;
        if (MoveNextCore())
        {
            position++;
            return true;
        }
        finished = true;
        return false;
    }

    /// <summary>Moves the underlying source; true when a row is available.</summary>
    protected abstract bool MoveNextCore();

    public sealed override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        int index = CheckColumn(Schema, column);
        var col = Schema[index];
        if (!active[index])
            throw new InvalidOperationException($"Column '{col.Name}' was not asked for when the cursor was created, so it cannot be read.");
        if (typeof(TValue) != col.Type.RawType)
            throw new InvalidOperationException(
                $"Column '{col.Name}' is {col.Type}, read as {TypeName(col.Type.RawType)}, not as {TypeName(typeof(TValue))}.");
        var getter = MakeGetter(index);
        Debug.Assert(getter is ValueGetter<TValue>, $"getter of {col.Name} has the wrong type");
        return (ValueGetter<TValue>)getter;
    }

    /// <summary>A <see cref="ValueGetter{TValue}"/> of the column's raw type for active column <paramref name="column"/>.</summary>
    protected abstract Delegate MakeGetter(int column);

    protected override void Dispose(bool disposing)
    {
        Disposed = true;
        base.Dispose(disposing);
    }

    /// <summary>The index of <paramref name="column"/> after checking that it belongs to <paramref name="schema"/>.</summary>
    internal static int CheckColumn(DataViewSchema schema, DataViewSchema.Column column)
    {
        if (column.Index < 0 || column.Index >= schema.Count || schema[column.Index].Name != column.Name)
            throw new ArgumentOutOfRangeException(nameof(column), $"Column '{column.Name}' ({column.Index}) is not part of this schema.");
        return column.Index;
    }

    internal static bool[] ActiveFlags(DataViewSchema schema, IEnumerable<DataViewSchema.Column> columnsNeeded)
    {
        ArgumentNullException.ThrowIfNull(columnsNeeded);
        var flags = new bool[schema.Count];
        foreach (var c in columnsNeeded)
            flags[CheckColumn(schema, c)] = true;
        return flags;
    }

    /// <summary>"VBuffer&lt;Single&gt;" rather than "VBuffer`1".</summary>
    internal static string TypeName(Type type) =>
        type.IsGenericType ? $"{type.Name[..type.Name.IndexOf('`')]}<{string.Join(", ", type.GetGenericArguments().Select(TypeName))}>" : type.Name;
}
