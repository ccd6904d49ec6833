// Device.cs — where a network's tensors live: the CPU or one CUDA GPU.
using DigitsML.Engine;

namespace DigitsML.Networks;

/// <summary>A device: the CPU, or a CUDA GPU by index.</summary>
public readonly record struct Device(DeviceKind Kind, int Index = 0)
{
    /// <summary>The CPU.</summary>
    public static Device Cpu => new(DeviceKind.Cpu);

    /// <summary>CUDA GPU number <paramref name="index"/>.</summary>
    public static Device Cuda(int index) => new(DeviceKind.Cuda, index);

    /// <summary>Picks the device ML.NET's way: no GPU id means the CPU; a GPU id asks for that CUDA device;
    /// when it is missing the run continues on the CPU if <paramref name="fallbackToCpu"/>, and fails otherwise.</summary>
    /// <param name="gpuDeviceId">The GPU asked for, or null for the CPU.</param>
    /// <param name="fallbackToCpu">Whether a missing GPU falls back to the CPU.</param>
    /// <param name="log">Told when the fall-back happens; may be null.</param>
    /// <exception cref="DeviceUnavailableException">The GPU is missing and fall-back is off.</exception>
    public static Device Select(int? gpuDeviceId, bool fallbackToCpu, Action<string>? log = null)
    {
        if (gpuDeviceId is not int id)
            return Cpu;
        int available = TorchRuntime.CudaDeviceCount;
        if (id >= 0 && id < available)
            return Cuda(id);
        string why = $"GPU {id} was requested but {available} CUDA device(s) are available" +
                     (available == 0 ? $" (libtorch {TorchRuntime.Version} here has no usable CUDA)" : "");
        if (!fallbackToCpu)
            throw new DeviceUnavailableException($"{why}. Allow falling back to the CPU, or run where a CUDA libtorch and a GPU are present.");
        log?.Invoke($"{why}; continuing on the CPU.");
        return Cpu;
    }

    /// <inheritdoc />
    public override string ToString() => Kind == DeviceKind.Cpu ? "cpu" : $"cuda:{Index}";
}
