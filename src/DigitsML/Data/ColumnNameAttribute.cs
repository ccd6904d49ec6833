// ColumnNameAttribute.cs — names the column a field or property of a user class maps to.
namespace DigitsML.Data;

/// <summary>Maps the field or property to the column <see cref="Name"/> instead of the member's own name.</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class ColumnNameAttribute : Attribute
{
    /// <summary>Maps the member to column <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or empty.</exception>
    public ColumnNameAttribute(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
    }

    /// <summary>The column's name.</summary>
    public string Name { get; }
}
