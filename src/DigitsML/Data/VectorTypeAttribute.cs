// VectorTypeAttribute.cs — gives an array member of a user class the size (and shape) of its vector column.
namespace DigitsML.Data;

/// <summary>Declares the size of a vector member (<c>float[]</c>, <c>byte[]</c>, <see cref="VBuffer{T}"/>):
/// <c>[VectorType(784)]</c> or, for an image, <c>[VectorType(1, 28, 28)]</c>. Without it an array maps to a
/// vector of unknown size. Arrays read from a user object must then hold exactly that many values.</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class VectorTypeAttribute : Attribute
{
    /// <summary>A vector of unknown size.</summary>
    public VectorTypeAttribute() => Dims = [];

    /// <summary>A vector of <paramref name="size"/> values.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> is not positive.</exception>
    public VectorTypeAttribute(int size) : this([size]) { }

    /// <summary>A vector with these dimensions, e.g. 1, 28, 28.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is not positive.</exception>
    public VectorTypeAttribute(params int[] dimensions)
    {
        ArgumentNullException.ThrowIfNull(dimensions);
        foreach (int d in dimensions)
            ArgumentOutOfRangeException.ThrowIfLessThan(d, 1, nameof(dimensions));
        Dims = [.. dimensions];
    }

    /// <summary>The dimensions; empty for unknown size.</summary>
    public int[] Dims { get; }

    /// <summary>The number of values, or 0 when unknown.</summary>
    public int Size => Dims.Length == 0 ? 0 : Dims.Aggregate(1, (a, d) => checked(a * d));
}
