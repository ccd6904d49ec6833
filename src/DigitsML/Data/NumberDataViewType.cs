// NumberDataViewType.cs — the numeric column types, one instance per .NET number type.
namespace DigitsML.Data;

/// <summary>A numeric type. Use the static instances (<see cref="Single"/>, <see cref="Byte"/>, ...); each prints
/// as its .NET name, e.g. "Single".</summary>
public sealed class NumberDataViewType : PrimitiveDataViewType
{
    private NumberDataViewType(Type rawType) : base(rawType) { }

    /// <summary>Signed 8-bit integers (<see cref="sbyte"/>).</summary>
    public static NumberDataViewType SByte { get; } = new(typeof(sbyte));

    /// <summary>Unsigned 8-bit integers (<see cref="byte"/>).</summary>
    public static NumberDataViewType Byte { get; } = new(typeof(byte));

    /// <summary>Signed 16-bit integers (<see cref="short"/>).</summary>
    public static NumberDataViewType Int16 { get; } = new(typeof(short));

    /// <summary>Unsigned 16-bit integers (<see cref="ushort"/>).</summary>
    public static NumberDataViewType UInt16 { get; } = new(typeof(ushort));

    /// <summary>Signed 32-bit integers (<see cref="int"/>).</summary>
    public static NumberDataViewType Int32 { get; } = new(typeof(int));

    /// <summary>Unsigned 32-bit integers (<see cref="uint"/>).</summary>
    public static NumberDataViewType UInt32 { get; } = new(typeof(uint));

    /// <summary>Signed 64-bit integers (<see cref="long"/>).</summary>
    public static NumberDataViewType Int64 { get; } = new(typeof(long));

    /// <summary>Unsigned 64-bit integers (<see cref="ulong"/>).</summary>
    public static NumberDataViewType UInt64 { get; } = new(typeof(ulong));

    /// <summary>32-bit floating point (<see cref="float"/>): ML.NET's type for features and numeric labels.</summary>
    public static NumberDataViewType Single { get; } = new(typeof(float));

    /// <summary>64-bit floating point (<see cref="double"/>).</summary>
    public static NumberDataViewType Double { get; } = new(typeof(double));

    private static readonly NumberDataViewType[] all = [SByte, Byte, Int16, UInt16, Int32, UInt32, Int64, UInt64, Single, Double];

    /// <summary>The number type read as <paramref name="rawType"/>, or null when it is not a number type.</summary>
    internal static NumberDataViewType? FromRawType(Type rawType) => Array.Find(all, t => t.RawType == rawType);

    /// <summary>The number type named <paramref name="name"/> ("Single", "Byte", ...), or null.</summary>
    internal static NumberDataViewType? FromName(string name) => Array.Find(all, t => t.RawType.Name == name);

    /// <inheritdoc />
    public override bool Equals(DataViewType? other) => ReferenceEquals(this, other);

    /// <inheritdoc />
    public override int GetHashCode() => RawType.GetHashCode();

    /// <inheritdoc />
    public override string ToString() => RawType.Name;
}
