// ColumnStore.cs — typed, slot-addressed storage of one column's values, for caching, shuffling and batching.
using System.Diagnostics;

namespace DigitsML.Data;

/// <summary>Holds values of one column in numbered slots. <see cref="Store"/> copies the bound row's current value
/// into a slot; getters made by <see cref="MakeGetter"/> copy a slot's value out, so stored vectors are never
/// shared with readers.</summary>
internal abstract class ColumnStore
{
    /// <summary>A store for values of <paramref name="type"/>.</summary>
    internal static ColumnStore Create(DataViewType type) =>
        (ColumnStore)Activator.CreateInstance(typeof(ColumnStore<>).MakeGenericType(type.RawType))!;

    /// <summary>Reads later values from <paramref name="row"/>'s <paramref name="column"/>.</summary>
    internal abstract void Bind(DataViewRow row, DataViewSchema.Column column);

    /// <summary>Copies the bound row's current value into <paramref name="slot"/>, growing the store as needed.</summary>
    internal abstract void Store(int slot);

    /// <summary>A <see cref="ValueGetter{TValue}"/> that reads slot <paramref name="slot"/>() at each call.</summary>
    internal abstract Delegate MakeGetter(Func<int> slot);

    /// <summary>Slots allocated so far.</summary>
    internal abstract int Capacity { get; }
}

internal sealed class ColumnStore<T> : ColumnStore
{
    private T[] values = new T[16];
    private ValueGetter<T>? getter;

    internal override int Capacity => values.Length;

    internal override void Bind(DataViewRow row, DataViewSchema.Column column) => getter = row.GetGetter<T>(column);

    internal override void Store(int slot)
    {
        Debug.Assert(getter is not null, "Store before Bind");
        if (slot >= values.Length)
            Array.Resize(ref values, Math.Max(slot + 1, values.Length * 2));
        // The getter may reuse the array already in the slot; that array belongs to this store.
        getter(ref values[slot]);
    }

    internal override Delegate MakeGetter(Func<int> slot) =>
        (ValueGetter<T>)((ref T value) => ValueCopier<T>.Copy(in values[slot()], ref value));
}
