// KeyOrdinality.cs — the order in which MapValueToKey numbers the values it finds.
namespace DigitsML.Transforms;

/// <summary>How <c>MapValueToKey</c> orders values: key 1 is the first value in this order.</summary>
public enum KeyOrdinality
{
    /// <summary>In the order the values first occur in the data (ML.NET's default).</summary>
    ByOccurrence = 0,

    /// <summary>Sorted: numbers ascending, text by ordinal comparison, false before true.</summary>
    ByValue = 1,
}
