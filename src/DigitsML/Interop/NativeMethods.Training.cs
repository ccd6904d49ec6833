// NativeMethods.Training.cs — binds src/Native/src/training.cpp.
using System.Runtime.InteropServices;

namespace DigitsML.Interop;

internal static unsafe partial class NativeMethods
{
    [LibraryImport(Library, EntryPoint = "dml_train_step")]
    internal static partial NativeStatus TrainStep(NetworkHandle network, OptimizerHandle optimizer, float* x,
        long* labels, long n, double labelSmoothing, out double loss, out long correct);
}
