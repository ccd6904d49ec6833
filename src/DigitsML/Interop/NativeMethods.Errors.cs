// NativeMethods.Errors.cs — binds src/Native/src/errors.cpp.
using System.Runtime.InteropServices;

namespace DigitsML.Interop;

internal static unsafe partial class NativeMethods
{
    internal const string Library = "digitsml_native";

    [LibraryImport(Library, EntryPoint = "dml_last_error")]
    internal static partial byte* LastError();

    [LibraryImport(Library, EntryPoint = "dml_abi_version")]
    internal static partial NativeStatus AbiVersion(out int version);

    [LibraryImport(Library, EntryPoint = "dml_torch_version")]
    internal static partial NativeStatus TorchVersion(out byte* version);

    [LibraryImport(Library, EntryPoint = "dml_threads_set")]
    internal static partial NativeStatus ThreadsSet(int count);

    [LibraryImport(Library, EntryPoint = "dml_threads_get")]
    internal static partial NativeStatus ThreadsGet(out int count);

    [LibraryImport(Library, EntryPoint = "dml_cuda_device_count")]
    internal static partial NativeStatus CudaDeviceCount(out int count);
}
