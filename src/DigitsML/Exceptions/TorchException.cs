// TorchException.cs — an error raised inside libtorch, with libtorch's own message.
namespace DigitsML;

/// <summary>libtorch rejected an operation (a shape mismatch, say). The message carries libtorch's text;
/// the process and every other object stay usable.</summary>
public class TorchException : DigitsMLException
{
    /// <summary>Creates the exception with the native message.</summary>
    public TorchException(string message) : base(message) { }
}
