// ValueCopier.cs — copies a column value so that stored vectors never share arrays with their readers.
using System.Reflection;
using System.Runtime.CompilerServices;

namespace DigitsML.Data;

/// <summary>Copies values of raw type <typeparamref name="T"/>: vectors deeply (into the destination's array when it
/// is large enough), everything else by assignment (numbers, booleans and text are immutable).</summary>
internal static class ValueCopier<T>
{
    internal delegate void CopyFn(in T source, ref T destination);

    internal static readonly CopyFn Copy = Create();

    private static CopyFn Create()
    {
        if (typeof(T).IsGenericType && typeof(T).GetGenericTypeDefinition() == typeof(VBuffer<>))
        {
            var method = typeof(ValueCopier<T>).GetMethod(nameof(CopyVector), BindingFlags.NonPublic | BindingFlags.Static)!
                .MakeGenericMethod(typeof(T).GetGenericArguments()[0]);
            return method.CreateDelegate<CopyFn>();
        }
        return static (in T source, ref T destination) => destination = source;
    }

    private static void CopyVector<TItem>(in T source, ref T destination)
    {
        // Only reached when T is VBuffer<TItem> (see Create), so reinterpreting the references is exact.
        ref var src = ref Unsafe.As<T, VBuffer<TItem>>(ref Unsafe.AsRef(in source));
        src.CopyTo(ref Unsafe.As<T, VBuffer<TItem>>(ref destination));
    }
}
