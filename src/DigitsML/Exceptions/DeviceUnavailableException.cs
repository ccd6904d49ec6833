// DeviceUnavailableException.cs — a GPU was asked for and none could be used.
namespace DigitsML;

/// <summary>A CUDA device was requested, none is usable, and falling back to the CPU was not allowed.</summary>
public sealed class DeviceUnavailableException : DigitsMLException
{
    /// <summary>Creates the exception with a message naming the device.</summary>
    public DeviceUnavailableException(string message) : base(message) { }
}
