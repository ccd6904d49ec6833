// NoColumnAttribute.cs — keeps a public member of a user class out of the schema.
namespace DigitsML.Data;

/// <summary>The field or property is not a column: <c>LoadFromEnumerable</c>, <c>CreateEnumerable</c> and prediction
/// engines skip it.</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class NoColumnAttribute : Attribute;
