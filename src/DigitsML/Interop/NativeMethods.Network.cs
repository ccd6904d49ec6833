// NativeMethods.Network.cs — binds src/Native/src/network.cpp.
using System.Runtime.InteropServices;

namespace DigitsML.Interop;

internal static unsafe partial class NativeMethods
{
    [LibraryImport(Library, EntryPoint = "dml_network_create")]
    internal static partial NativeStatus NetworkCreate(NativeLayer* layers, int count, long inChannels, long inHeight,
        long inWidth, ulong seed, int deviceType, int deviceIndex, out NetworkHandle network);

    [LibraryImport(Library, EntryPoint = "dml_network_free")]
    internal static partial void NetworkFree(IntPtr network);

    [LibraryImport(Library, EntryPoint = "dml_network_parameter_count")]
    internal static partial NativeStatus NetworkParameterCount(NetworkHandle network, out long count);

    [LibraryImport(Library, EntryPoint = "dml_network_forward")]
    internal static partial NativeStatus NetworkForward(NetworkHandle network, float* x, long n, int outputKind,
        float* output, long outputLength);

    [LibraryImport(Library, EntryPoint = "dml_network_evaluate")]
    internal static partial NativeStatus NetworkEvaluate(NetworkHandle network, float* x, long* labels, long n,
        out double lossSum, out long correct, float* probabilities, long probabilitiesLength);

    [LibraryImport(Library, EntryPoint = "dml_network_state_count")]
    internal static partial NativeStatus NetworkStateCount(NetworkHandle network, out int count);

    [LibraryImport(Library, EntryPoint = "dml_network_state_info")]
    internal static partial NativeStatus NetworkStateInfo(NetworkHandle network, int index, out byte* name,
        out int isParameter, out int rank, long* shape);

    [LibraryImport(Library, EntryPoint = "dml_network_state_read")]
    internal static partial NativeStatus NetworkStateRead(NetworkHandle network, int index, float* destination, long length);

    [LibraryImport(Library, EntryPoint = "dml_network_state_write")]
    internal static partial NativeStatus NetworkStateWrite(NetworkHandle network, int index, float* source, long length);

    [LibraryImport(Library, EntryPoint = "dml_network_dropout_position_get")]
    internal static partial NativeStatus NetworkDropoutPositionGet(NetworkHandle network, out ulong position);

    [LibraryImport(Library, EntryPoint = "dml_network_dropout_position_set")]
    internal static partial NativeStatus NetworkDropoutPositionSet(NetworkHandle network, ulong position);
}
