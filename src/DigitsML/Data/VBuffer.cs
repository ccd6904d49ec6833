// VBuffer.cs — the value of a vector column: ML.NET's getter shape, stored dense.
using System.Diagnostics;

namespace DigitsML.Data;

/// <summary>A vector value of <see cref="Length"/> items. Unlike ML.NET's VBuffer, DigitsML always stores vectors
/// dense (pixels and class scores are dense), so <see cref="IsDense"/> is always true and
/// <see cref="GetValues"/> holds every item. A getter may reuse the array of the buffer it is given, as in
/// ML.NET: copy the values out before calling the getter again if you keep them.</summary>
/// <typeparam name="T">The item type.</typeparam>
public readonly struct VBuffer<T>
{
    private readonly T[]? values;

    /// <summary>Wraps the first <paramref name="length"/> items of <paramref name="values"/> (not copied).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative or larger than the array.</exception>
    public VBuffer(int length, T[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, values.Length);
        Length = length;
        this.values = values;
    }

    /// <summary>The number of items.</summary>
    public int Length { get; }

    /// <summary>Always true: DigitsML stores every vector dense.</summary>
    public bool IsDense => true;

    /// <summary>The items, in order.</summary>
    public ReadOnlySpan<T> GetValues() => values is null ? ReadOnlySpan<T>.Empty : values.AsSpan(0, Length);

    /// <summary>The indices of explicitly stored items; empty, as for a dense ML.NET VBuffer.</summary>
    public ReadOnlySpan<int> GetIndices() => ReadOnlySpan<int>.Empty;

    /// <summary>Every item in order.</summary>
    public IEnumerable<T> DenseValues()
    {
        for (int i = 0; i < Length; i++)
            yield return values![i];
    }

    /// <summary>Each item with its index. <paramref name="all"/> is accepted for ML.NET compatibility; every item is
    /// stored, so all are returned either way.</summary>
    public IEnumerable<KeyValuePair<int, T>> Items(bool all = false)
    {
        for (int i = 0; i < Length; i++)
            yield return new KeyValuePair<int, T>(i, values![i]);
    }

    /// <summary>Item <paramref name="index"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is outside the vector.</exception>
    public T GetItemOrDefault(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Length);
        return values![index];
    }

    /// <summary>Copies the items into <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <see cref="Length"/>.</exception>
    public void CopyTo(Span<T> destination) => GetValues().CopyTo(destination);

    /// <summary>Copies this vector into <paramref name="destination"/>, reusing its array when it is large enough.</summary>
    public void CopyTo(ref VBuffer<T> destination) => Assign(ref destination, GetValues());

    /// <summary>Sets <paramref name="destination"/> to a copy of <paramref name="source"/>, reusing the destination's
    /// array when it is large enough. Getters use this so that they never hand out storage they keep.</summary>
    internal static void Assign(ref VBuffer<T> destination, ReadOnlySpan<T> source)
    {
        T[] array = destination.values is { } a && a.Length >= source.Length ? a : new T[source.Length];
        source.CopyTo(array);
        destination = new VBuffer<T>(source.Length, array);
        Debug.Assert(destination.Length == source.Length);
    }

    /// <summary>Gives <paramref name="destination"/> <paramref name="length"/> items to be written through the returned
    /// span, reusing its array when it is large enough.</summary>
    internal static Span<T> Prepare(ref VBuffer<T> destination, int length)
    {
        T[] array = destination.values is { } a && a.Length >= length ? a : new T[length];
        destination = new VBuffer<T>(length, array);
        return array.AsSpan(0, length);
    }

    /// <summary>The items as a new array.</summary>
    internal T[] ToArray() => GetValues().ToArray();

    /// <inheritdoc />
    public override string ToString() => $"VBuffer<{typeof(T).Name}>[{Length}]";
}
