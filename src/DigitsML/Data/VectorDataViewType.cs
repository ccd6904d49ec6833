// VectorDataViewType.cs — the vector column type: items of one primitive type, with optional dimensions.
using System.Collections.Immutable;

namespace DigitsML.Data;

/// <summary>A vector of <see cref="ItemType"/> values, read as <see cref="VBuffer{T}"/>. A known-size vector has
/// dimensions (784, or 1 × 28 × 28 for an image); a vector of unknown size has <see cref="Size"/> 0. It prints as
/// <c>Vector&lt;Single, 1, 28, 28&gt;</c>.</summary>
public sealed class VectorDataViewType : DataViewType
{
    /// <summary>Creates a vector type of <paramref name="size"/> items, or of unknown size when 0 (default).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="itemType"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> is negative.</exception>
    public VectorDataViewType(PrimitiveDataViewType itemType, int size = 0)
        : this(itemType, size == 0 ? ImmutableArray<int>.Empty : [size]) { }

    /// <summary>Creates a vector type with <paramref name="dimensions"/> (e.g. 1, 28, 28); a 0 dimension makes the size unknown.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="itemType"/> or <paramref name="dimensions"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative, or the size exceeds <see cref="int.MaxValue"/>.</exception>
    public VectorDataViewType(PrimitiveDataViewType itemType, params int[] dimensions)
        : this(itemType, (dimensions ?? throw new ArgumentNullException(nameof(dimensions))).ToImmutableArray()) { }

    private VectorDataViewType(PrimitiveDataViewType itemType, ImmutableArray<int> dimensions)
        : base(MakeRawType(itemType))
    {
        ItemType = itemType;
        long size = dimensions.IsEmpty ? 0 : 1;
        foreach (int d in dimensions)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(d, nameof(dimensions));
            size *= d;
            ArgumentOutOfRangeException.ThrowIfGreaterThan(size, int.MaxValue, nameof(dimensions));
        }
        Dimensions = dimensions;
        Size = (int)size;
    }

    private static Type MakeRawType(PrimitiveDataViewType itemType)
    {
        ArgumentNullException.ThrowIfNull(itemType);
        return typeof(VBuffer<>).MakeGenericType(itemType.RawType);
    }

    /// <summary>The type of each item.</summary>
    public PrimitiveDataViewType ItemType { get; }

    /// <summary>The dimensions; empty for a vector of unknown size.</summary>
    public ImmutableArray<int> Dimensions { get; }

    /// <summary>The number of items, the product of the dimensions; 0 when unknown.</summary>
    public int Size { get; }

    /// <summary>Whether the size is known.</summary>
    public bool IsKnownSize => Size > 0;

    /// <inheritdoc />
    public override bool Equals(DataViewType? other) =>
        other is VectorDataViewType v && v.ItemType.Equals(ItemType) && v.Dimensions.SequenceEqual(Dimensions);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(ItemType, Size);

    /// <inheritdoc />
    public override string ToString() =>
        Dimensions.IsEmpty || Size == 0 ? $"Vector<{ItemType}>" : $"Vector<{ItemType}, {string.Join(", ", Dimensions)}>";
}
