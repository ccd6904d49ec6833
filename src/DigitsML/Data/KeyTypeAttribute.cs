// KeyTypeAttribute.cs — marks an unsigned integer member of a user class as a key column.
namespace DigitsML.Data;

/// <summary>Maps an unsigned integer member (usually <c>uint</c>) to a key column of <see cref="Count"/> values:
/// <c>[KeyType(10)]</c> gives <c>Key&lt;UInt32, 0-9&gt;</c>. As in ML.NET, the member holds the 1-based key: 1 is the
/// first value, 10 the last, and 0 means missing.</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class KeyTypeAttribute : Attribute
{
    /// <summary>A key of <paramref name="count"/> values.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is 0.</exception>
    public KeyTypeAttribute(ulong count)
    {
        ArgumentOutOfRangeException.ThrowIfZero(count);
        Count = count;
    }

    /// <summary>The number of values the key indexes.</summary>
    public ulong Count { get; }
}
