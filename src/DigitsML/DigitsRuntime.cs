// DigitsRuntime.cs — the public face of the training runtime (libtorch under TorchSharp): its version, CUDA devices and
// CPU thread count, for apps and tools that report or set them.
using DigitsML.Engine;

namespace DigitsML;

/// <summary>The libtorch runtime DigitsML trains with. Each member loads TorchSharp's native library on first use.</summary>
public static class DigitsRuntime
{
    /// <summary>libtorch's version, e.g. "2.10.0.0".</summary>
    /// <exception cref="TorchException">TorchSharp's native library does not load here; the message says why.</exception>
    public static string Version => TorchRuntime.Version;

    /// <summary>CUDA devices libtorch can use; 0 with a CPU-only libtorch (the default backend package).</summary>
    /// <exception cref="TorchException">TorchSharp's native library does not load here; the message says why.</exception>
    public static int CudaDeviceCount => TorchRuntime.CudaDeviceCount;

    /// <summary>Threads libtorch uses for CPU kernels; default <see cref="Environment.ProcessorCount"/>, applied on first
    /// use. Setting it affects the whole process.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to less than 1.</exception>
    /// <exception cref="TorchException">TorchSharp's native library does not load here; the message says why.</exception>
    public static int Threads
    {
        get => TorchRuntime.Threads;
        set => TorchRuntime.Threads = value;
    }
}
