// DeviceKind.cs — the kinds of device a network can live on.
namespace DigitsML.Networks;

/// <summary>The kind of device.</summary>
public enum DeviceKind
{
    /// <summary>The CPU (default).</summary>
    Cpu = 0,

    /// <summary>A CUDA GPU; needs a CUDA build of libtorch.</summary>
    Cuda = 1,
}
