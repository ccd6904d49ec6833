// NativeMethods.Inspect.cs — binds src/Native/src/inspect.cpp.
using System.Runtime.InteropServices;

namespace DigitsML.Interop;

internal static unsafe partial class NativeMethods
{
    [LibraryImport(Library, EntryPoint = "dml_network_forward_to")]
    internal static partial NativeStatus NetworkForwardTo(NetworkHandle network, float* x, long n, int lastLayer, float* output,
        long outputLength);
}
