// TextDataViewType.cs — the text column type, read as ReadOnlyMemory<char> as in ML.NET.
namespace DigitsML.Data;

/// <summary>Text. Getters read <see cref="ReadOnlyMemory{T}"/> of char; user classes may use <see cref="string"/>.</summary>
public sealed class TextDataViewType : PrimitiveDataViewType
{
    private TextDataViewType() : base(typeof(ReadOnlyMemory<char>)) { }

    /// <summary>The single instance.</summary>
    public static TextDataViewType Instance { get; } = new();

    /// <inheritdoc />
    public override bool Equals(DataViewType? other) => ReferenceEquals(this, other);

    /// <inheritdoc />
    public override int GetHashCode() => RawType.GetHashCode();

    /// <inheritdoc />
    public override string ToString() => "String";
}
