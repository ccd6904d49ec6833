// TorchOutOfMemoryException.cs — libtorch could not allocate a tensor.
namespace DigitsML;

/// <summary>libtorch ran out of host or device memory (for example for an absurd batch size).
/// Nothing was changed; a smaller batch can be tried.</summary>
public sealed class TorchOutOfMemoryException : TorchException
{
    /// <summary>Creates the exception with the native message.</summary>
    public TorchOutOfMemoryException(string message) : base(message) { }
}
