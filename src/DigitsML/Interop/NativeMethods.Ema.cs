// NativeMethods.Ema.cs — binds src/Native/src/ema.cpp.
using System.Runtime.InteropServices;

namespace DigitsML.Interop;

internal static partial class NativeMethods
{
    [LibraryImport(Library, EntryPoint = "dml_ema_create")]
    internal static partial NativeStatus EmaCreate(NetworkHandle network, double decay, out EmaHandle ema);

    [LibraryImport(Library, EntryPoint = "dml_ema_free")]
    internal static partial void EmaFree(IntPtr ema);

    [LibraryImport(Library, EntryPoint = "dml_ema_update")]
    internal static partial NativeStatus EmaUpdate(EmaHandle ema, NetworkHandle network, long step);

    [LibraryImport(Library, EntryPoint = "dml_ema_swap")]
    internal static partial NativeStatus EmaSwap(EmaHandle ema, NetworkHandle network);
}
