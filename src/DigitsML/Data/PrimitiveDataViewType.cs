// PrimitiveDataViewType.cs — a type whose values are single items: numbers, text, booleans and keys.
namespace DigitsML.Data;

/// <summary>A type of single values; the item type of every vector.</summary>
public abstract class PrimitiveDataViewType : DataViewType
{
    /// <summary>Creates a primitive type read as <paramref name="rawType"/>.</summary>
    protected PrimitiveDataViewType(Type rawType) : base(rawType) { }
}
