// Getters.cs — asks a row for a getter when the column's raw type is only known at run time.
using System.Collections.Concurrent;
using System.Reflection;

namespace DigitsML.Data;

/// <summary>Untyped access to <see cref="DataViewRow.GetGetter{TValue}"/>, for views that pass columns through.</summary>
internal static class Getters
{
    private static readonly MethodInfo generic = typeof(Getters).GetMethod(nameof(Typed), BindingFlags.NonPublic | BindingFlags.Static)!;
    private static readonly ConcurrentDictionary<Type, Func<DataViewRow, DataViewSchema.Column, Delegate>> cache = new();

    /// <summary>The <see cref="ValueGetter{TValue}"/> of <paramref name="column"/>, typed by its raw type.</summary>
    internal static Delegate Untyped(DataViewRow row, DataViewSchema.Column column) =>
        cache.GetOrAdd(column.Type.RawType,
            t => generic.MakeGenericMethod(t).CreateDelegate<Func<DataViewRow, DataViewSchema.Column, Delegate>>())(row, column);

    private static Delegate Typed<T>(DataViewRow row, DataViewSchema.Column column) => row.GetGetter<T>(column);
}
