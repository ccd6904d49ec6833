// TorchRuntime.cs — process-wide facts and settings of the libtorch underneath TorchSharp, and the one check that
// TorchSharp's native library loads before anything touches it.
using System.Runtime.InteropServices;
using TorchSharp;

namespace DigitsML.Engine;

/// <summary>The libtorch runtime: its version, CUDA devices and the CPU thread count.</summary>
internal static class TorchRuntime
{
    private static readonly Lazy<string?> LoadFailure = new(TryLoadNative, LazyThreadSafetyMode.ExecutionAndPublication);
    private static int threadsApplied;

    /// <summary>libtorch's version, e.g. "2.10.0.0".</summary>
    /// <exception cref="TorchException">TorchSharp's native library does not load here.</exception>
    public static string Version
    {
        get
        {
            EnsureInitialized();
            return torch.__version__;
        }
    }

    /// <summary>CUDA devices libtorch can use; 0 with a CPU-only libtorch (the default backend package).</summary>
    /// <exception cref="TorchException">TorchSharp's native library does not load here.</exception>
    public static int CudaDeviceCount
    {
        get
        {
            EnsureInitialized();
            return torch.cuda.is_available() ? torch.cuda.device_count() : 0;
        }
    }

    /// <summary>Threads libtorch uses for CPU kernels. DigitsML sets it to <see cref="Environment.ProcessorCount"/>
    /// on first use; setting it affects the whole process.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to less than 1.</exception>
    /// <exception cref="TorchException">TorchSharp's native library does not load here.</exception>
    public static int Threads
    {
        get
        {
            EnsureInitialized();
            return torch.get_num_threads();
        }
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            RequireLoaded();
            Interlocked.Exchange(ref threadsApplied, 1);
            torch.set_num_threads(value);
        }
    }

    /// <summary>Checks once per process that the native library loads and applies the default thread count.</summary>
    /// <exception cref="TorchException">TorchSharp's native library does not load here; the message says why.</exception>
    internal static void EnsureInitialized()
    {
        RequireLoaded();
        if (Interlocked.CompareExchange(ref threadsApplied, 1, 0) == 0)
            torch.set_num_threads(Environment.ProcessorCount);
    }

    private static void RequireLoaded()
    {
        if (LoadFailure.Value is string why)
            throw new TorchException(why);
    }

    /// <summary>Loads libtorch and libLibTorchSharp the way TorchSharp's first step does (by name, through the
    /// application's dependency manifest) and returns why that failed, or null. Done before TorchSharp's own loader
    /// runs because, when this step fails, TorchSharp falls back to copying a whole libtorch (about 0.5 GB) out of the
    /// NuGet cache next to its assembly; with this check that never happens, and the user reads the loader's reason.</summary>
    private static string? TryLoadNative()
    {
        var assembly = typeof(torch).Assembly;
        string? failure = null;
        foreach (string name in new[] { "torch_cpu", "LibTorchSharp" })
        {
            try
            {
                NativeLibrary.Load(name, assembly, null);
            }
            catch (DllNotFoundException e)
            {
                failure = $"{name}: {e.Message}";
                break;
            }
        }
        if (failure is null)
            return null;
        return "TorchSharp's native library does not load, so DigitsML cannot train or run networks here. " + failure +
               (failure.Contains("GLIBCXX", StringComparison.Ordinal)
                   ? " The system's libstdc++ is older than TorchSharp's; a build through DigitsML's MSBuild targets (DigitsML.targets) " +
                     "adjusts the copy in the output folder — rebuild, or install a newer libstdc++."
                   : " Check that the libtorch backend package (default libtorch-cpu-linux-x64) is referenced and restored.");
    }
}
