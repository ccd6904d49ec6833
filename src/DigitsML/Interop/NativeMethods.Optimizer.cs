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
}
