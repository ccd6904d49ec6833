// NativeMethods.Optimizer.cs — binds src/Native/src/optimizer.cpp.
using System.Runtime.InteropServices;

namespace DigitsML.Interop;

internal static unsafe partial class NativeMethods
{
    [LibraryImport(Library, EntryPoint = "dml_optimizer_create")]
    internal static partial NativeStatus OptimizerCreate(NetworkHandle network, in NativeOptimizerOptions options,
        out OptimizerHandle optimizer);

    [LibraryImport(Library, EntryPoint = "dml_optimizer_free")]
    internal static partial void OptimizerFree(IntPtr optimizer);

    [LibraryImport(Library, EntryPoint = "dml_optimizer_set_lr")]
    internal static partial NativeStatus OptimizerSetLearningRate(OptimizerHandle optimizer, double learningRate);

    [LibraryImport(Library, EntryPoint = "dml_optimizer_state_count")]
    internal static partial NativeStatus OptimizerStateCount(OptimizerHandle optimizer, out int count);

    [LibraryImport(Library, EntryPoint = "dml_optimizer_state_info")]
    internal static partial NativeStatus OptimizerStateInfo(OptimizerHandle optimizer, int index, out byte* name, out int rank,
        long* shape);

    [LibraryImport(Library, EntryPoint = "dml_optimizer_state_read")]
    internal static partial NativeStatus OptimizerStateRead(OptimizerHandle optimizer, int index, float* destination, long length);

    [LibraryImport(Library, EntryPoint = "dml_optimizer_state_write")]
    internal static partial NativeStatus OptimizerStateWrite(OptimizerHandle optimizer, int index, float* source, long length);
}
