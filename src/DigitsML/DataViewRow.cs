// DataViewRow.cs — one row of a data view, read column by column through typed getters.
namespace DigitsML;

/// <summary>A row whose active columns are read through getters. Dispose it when done.</summary>
public abstract class DataViewRow : IDisposable
{
    /// <summary>The row's 0-based position in its cursor; −1 before the first row.</summary>
    public abstract long Position { get; }

    /// <summary>The batch of a cursor set this row belongs to; DigitsML's cursors are always batch 0.</summary>
    public abstract long Batch { get; }

    /// <summary>The columns.</summary>
    public abstract DataViewSchema Schema { get; }

    /// <summary>Whether the getter of <paramref name="column"/> may be asked for.</summary>
    public abstract bool IsColumnActive(DataViewSchema.Column column);

    /// <summary>The getter of <paramref name="column"/>; <typeparamref name="TValue"/> must be the column type's raw type
    /// (<c>float</c> for Single, <see cref="Data.VBuffer{T}"/> for vectors, <c>uint</c> for keys).</summary>
    /// <exception cref="InvalidOperationException">The column is not active, or <typeparamref name="TValue"/> is not its
    /// raw type; the message names the column and both types.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The column is not part of <see cref="Schema"/>.</exception>
    public abstract ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column);

    /// <summary>Releases what the row holds. Safe to call more than once.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases resources; <paramref name="disposing"/> is false when called from a finalizer.</summary>
    protected virtual void Dispose(bool disposing) { }
}
