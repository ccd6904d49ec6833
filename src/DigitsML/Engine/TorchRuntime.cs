// TorchRuntime.cs — process-wide facts and settings of the libtorch underneath.
using System.Runtime.InteropServices;
using DigitsML.Interop;

namespace DigitsML.Engine;

/// <summary>The libtorch runtime: its version, CUDA devices and the CPU thread count.</summary>
public static unsafe class TorchRuntime
{
    private static int initialized;

    /// <summary>libtorch's version, e.g. "1.13.1".</summary>
    public static string Version
    {
        get
        {
            NativeError.Check(NativeMethods.TorchVersion(out byte* text), "reading the libtorch version");
            return Marshal.PtrToStringUTF8((IntPtr)text) ?? "";
        }
    }

    /// <summary>CUDA devices libtorch can use; 0 with a CPU-only libtorch.</summary>
    public static int CudaDeviceCount
    {
        get
        {
            NativeError.Check(NativeMethods.CudaDeviceCount(out int count), "counting CUDA devices");
            return count;
        }
    }

    /// <summary>Threads libtorch uses for CPU kernels. DigitsML sets it to <see cref="Environment.ProcessorCount"/>
    /// on first use (some libtorch builds start at 1); setting it affects the whole process.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to less than 1.</exception>
    public static int Threads
    {
        get
        {
            EnsureInitialized();
            NativeError.Check(NativeMethods.ThreadsGet(out int count), "reading the thread count");
            return count;
        }
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            Interlocked.Exchange(ref initialized, 1);
            NativeError.Check(NativeMethods.ThreadsSet(value), "setting the thread count");
        }
    }

    /// <summary>Applies the default thread count once per process.</summary>
    internal static void EnsureInitialized()
    {
        if (Interlocked.CompareExchange(ref initialized, 1, 0) == 0)
            NativeError.Check(NativeMethods.ThreadsSet(Environment.ProcessorCount), "setting the thread count");
    }
}
