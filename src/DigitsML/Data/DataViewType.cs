// DataViewType.cs — the base of the column types a data view can hold, as in ML.NET.
namespace DigitsML.Data;

/// <summary>The type of a column of an <see cref="IDataView"/>. <see cref="RawType"/> is the .NET type a getter
/// reads: <c>float</c> for <see cref="NumberDataViewType.Single"/>, <see cref="VBuffer{T}"/> for vectors,
/// <c>uint</c> for the usual keys, <see cref="ReadOnlyMemory{T}"/> of char for text.</summary>
public abstract class DataViewType : IEquatable<DataViewType>
{
    /// <summary>Creates a type read as <paramref name="rawType"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="rawType"/> is null.</exception>
    protected DataViewType(Type rawType)
    {
        ArgumentNullException.ThrowIfNull(rawType);
        RawType = rawType;
    }

    /// <summary>The .NET type getters of a column of this type read.</summary>
    public Type RawType { get; }

    /// <summary>Whether <paramref name="other"/> is the same type.</summary>
    public abstract bool Equals(DataViewType? other);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is DataViewType other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => RawType.GetHashCode();
}
