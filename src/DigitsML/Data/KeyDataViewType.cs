// KeyDataViewType.cs — the key (categorical index) column type: values 1..Count, with 0 meaning missing.
namespace DigitsML.Data;

/// <summary>A key: an index into a set of <see cref="Count"/> values, as ML.NET stores class labels. The raw value is
/// 1-based: 1 is the first value, <see cref="Count"/> the last, and 0 means missing. It prints as
/// <c>Key&lt;UInt32, 0-9&gt;</c> for 10 values (ML.NET's notation of the 0-based index range).</summary>
public sealed class KeyDataViewType : PrimitiveDataViewType
{
    /// <summary>Creates a key type.</summary>
    /// <param name="type">The raw type: <see cref="byte"/>, <see cref="ushort"/>, <see cref="uint"/> or <see cref="ulong"/>.</param>
    /// <param name="count">The number of values; at least 1 and within the raw type's range.</param>
    /// <exception cref="ArgumentException"><paramref name="type"/> is not an unsigned integer type.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is 0 or too large for the raw type.</exception>
    public KeyDataViewType(Type type, ulong count) : base(type)
    {
        ulong max = type == typeof(byte) ? byte.MaxValue
            : type == typeof(ushort) ? ushort.MaxValue
            : type == typeof(uint) ? uint.MaxValue
            : type == typeof(ulong) ? ulong.MaxValue
            : throw new ArgumentException($"A key's raw type must be Byte, UInt16, UInt32 or UInt64, not {type.Name}.", nameof(type));
        ArgumentOutOfRangeException.ThrowIfZero(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, max);
        Count = count;
    }

    /// <summary>Creates a key type of <paramref name="count"/> values.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is not positive.</exception>
    public KeyDataViewType(Type type, int count) : this(type, count > 0 ? (ulong)count : throw new ArgumentOutOfRangeException(nameof(count), count, "A key type needs at least one value.")) { }

    /// <summary>The number of values the key indexes.</summary>
    public ulong Count { get; }

    /// <inheritdoc />
    public override bool Equals(DataViewType? other) =>
        other is KeyDataViewType key && key.RawType == RawType && key.Count == Count;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(RawType, Count);

    /// <inheritdoc />
    public override string ToString() => $"Key<{RawType.Name}, 0-{Count - 1}>";
}
