// ValueGetter.cs — the delegate through which a cursor's column values are read, as in ML.NET.
namespace DigitsML;

/// <summary>Reads the current row's value of one column into <paramref name="value"/>. For vectors the getter may
/// reuse the buffer it is given.</summary>
/// <typeparam name="TValue">The column type's raw type.</typeparam>
public delegate void ValueGetter<TValue>(ref TValue value);
