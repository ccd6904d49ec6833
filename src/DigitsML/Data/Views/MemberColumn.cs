// MemberColumn.cs — one field or property of a user class as a column: reads it into getters and writes it from rows.
using System.Reflection;

namespace DigitsML.Data;

/// <summary>A member of <typeparamref name="TRow"/> mapped to a column.</summary>
internal abstract class MemberColumn<TRow> where TRow : class
{
    protected MemberColumn(MemberInfo member, string name, DataViewType columnType)
    {
        Member = member;
        Name = name;
        ColumnType = columnType;
    }

    internal MemberInfo Member { get; }

    internal string Name { get; }

    internal DataViewType ColumnType { get; }

    internal abstract bool CanRead { get; }

    internal abstract bool CanWrite { get; }

    protected string Where => $"{typeof(TRow).Name}.{Member.Name}";

    /// <summary>A getter of the column's raw type reading the member of <paramref name="current"/>().</summary>
    internal abstract Delegate MakeGetter(Func<TRow> current);

    /// <summary>An action that reads <paramref name="row"/>'s <paramref name="column"/> and writes it into the member.</summary>
    internal abstract Action<TRow> MakeSetter(DataViewRow row, DataViewSchema.Column column);

    /// <summary>Whether a view column of <paramref name="viewType"/> can be written into this member. Keys and their
    /// raw integers are interchangeable (the member then holds the 1-based key); vector sizes must agree when both are known.</summary>
    internal bool Accepts(DataViewType viewType) => (ColumnType, viewType) switch
    {
        (VectorDataViewType m, VectorDataViewType v) => SameItem(m.ItemType, v.ItemType) && (m.Size == 0 || v.Size == 0 || m.Size == v.Size),
        (VectorDataViewType, _) or (_, VectorDataViewType) => false,
        var (m, v) => SameItem(m, v),
    };

    private static bool SameItem(DataViewType member, DataViewType view) =>
        member.Equals(view) || (member.RawType == view.RawType && (member is KeyDataViewType || view is KeyDataViewType));
}

internal sealed class ScalarMember<TRow, TValue>(MemberInfo member, string name, DataViewType columnType)
    : MemberColumn<TRow>(member, name, columnType) where TRow : class
{
    private readonly Func<TRow, TValue>? read = ClassMapping<TRow>.Reader<TValue>(member);
    private readonly Action<TRow, TValue>? write = ClassMapping<TRow>.Writer<TValue>(member);

    internal override bool CanRead => read is not null;

    internal override bool CanWrite => write is not null;

    internal override Delegate MakeGetter(Func<TRow> current) => (ValueGetter<TValue>)((ref TValue value) => value = read!(current()));

    internal override Action<TRow> MakeSetter(DataViewRow row, DataViewSchema.Column column)
    {
        var getter = row.GetGetter<TValue>(column);
        TValue value = default!;
        return target =>
        {
            getter(ref value);
            write!(target, value);
        };
    }
}

internal sealed class TextMember<TRow>(MemberInfo member, string name, DataViewType columnType)
    : MemberColumn<TRow>(member, name, columnType) where TRow : class
{
    private readonly Func<TRow, string?>? read = ClassMapping<TRow>.Reader<string?>(member);
    private readonly Action<TRow, string>? write = ClassMapping<TRow>.Writer<string>(member);

    internal override bool CanRead => read is not null;

    internal override bool CanWrite => write is not null;

    internal override Delegate MakeGetter(Func<TRow> current) =>
        (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> value) => value = (read!(current()) ?? "").AsMemory());

    internal override Action<TRow> MakeSetter(DataViewRow row, DataViewSchema.Column column)
    {
        var getter = row.GetGetter<ReadOnlyMemory<char>>(column);
        ReadOnlyMemory<char> value = default;
        return target =>
        {
            getter(ref value);
            write!(target, value.ToString());
        };
    }
}

internal sealed class ArrayMember<TRow, TItem>(MemberInfo member, string name, DataViewType columnType)
    : MemberColumn<TRow>(member, name, columnType) where TRow : class
{
    private readonly Func<TRow, TItem[]?>? read = ClassMapping<TRow>.Reader<TItem[]?>(member);
    private readonly Action<TRow, TItem[]>? write = ClassMapping<TRow>.Writer<TItem[]>(member);
    private readonly int size = ((VectorDataViewType)columnType).Size;

    internal override bool CanRead => read is not null;

    internal override bool CanWrite => write is not null;

    internal override Delegate MakeGetter(Func<TRow> current) => (ValueGetter<VBuffer<TItem>>)((ref VBuffer<TItem> value) =>
    {
        TItem[] items = read!(current()) ?? [];
        if (size > 0 && items.Length != size)
            throw new InvalidOperationException($"{Where} (column '{Name}', {ColumnType}) holds {items.Length} values; it must hold {size}.");
        VBuffer<TItem>.Assign(ref value, items);
    });

    internal override Action<TRow> MakeSetter(DataViewRow row, DataViewSchema.Column column)
    {
        var getter = row.GetGetter<VBuffer<TItem>>(column);
        VBuffer<TItem> value = default;
        return target =>
        {
            getter(ref value);
            // A reused row object keeps its array when the length fits, as ML.NET does.
            if (read?.Invoke(target) is { } existing && existing.Length == value.Length)
                value.CopyTo(existing);
            else
                write!(target, value.ToArray());
        };
    }
}

internal sealed class VBufferMember<TRow, TItem>(MemberInfo member, string name, DataViewType columnType)
    : MemberColumn<TRow>(member, name, columnType) where TRow : class
{
    private readonly Func<TRow, VBuffer<TItem>>? read = ClassMapping<TRow>.Reader<VBuffer<TItem>>(member);
    private readonly Action<TRow, VBuffer<TItem>>? write = ClassMapping<TRow>.Writer<VBuffer<TItem>>(member);
    private readonly int size = ((VectorDataViewType)columnType).Size;

    internal override bool CanRead => read is not null;

    internal override bool CanWrite => write is not null;

    internal override Delegate MakeGetter(Func<TRow> current) => (ValueGetter<VBuffer<TItem>>)((ref VBuffer<TItem> value) =>
    {
        var items = read!(current());
        if (size > 0 && items.Length != size)
            throw new InvalidOperationException($"{Where} (column '{Name}', {ColumnType}) holds {items.Length} values; it must hold {size}.");
        items.CopyTo(ref value);
    });

    internal override Action<TRow> MakeSetter(DataViewRow row, DataViewSchema.Column column)
    {
        var getter = row.GetGetter<VBuffer<TItem>>(column);
        return target =>
        {
            var value = read?.Invoke(target) ?? default;
            getter(ref value);
            write!(target, value);
        };
    }
}
