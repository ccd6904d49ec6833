// NativeMethods.Augment.cs — binds src/Native/src/augment.cpp.
using System.Runtime.InteropServices;

namespace DigitsML.Interop;

internal static unsafe partial class NativeMethods
{
    [LibraryImport(Library, EntryPoint = "dml_augment_affine")]
    internal static partial NativeStatus AugmentAffine(float* x, float* output, long n, long channels, long height, long width,
        float* degrees, float* shifts);
}
