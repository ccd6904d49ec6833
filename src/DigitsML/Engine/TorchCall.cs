// TorchCall.cs — the one place an error raised inside libtorch becomes a DigitsML exception.
using System.Runtime.InteropServices;

namespace DigitsML.Engine;

/// <summary>Runs TorchSharp calls and translates libtorch's errors: out-of-memory becomes
/// <see cref="TorchOutOfMemoryException"/>, anything else <see cref="TorchException"/>, each with libtorch's message
/// (its C++ backtrace dropped) after the operation's name. The process and every object stay usable.</summary>
internal static class TorchCall
{
    internal static T Run<T>(string operation, Func<T> call)
    {
        try
        {
            return call();
        }
        catch (Exception e) when (e is ExternalException or OutOfMemoryException)
        {
            throw Translate(operation, e);
        }
    }

    internal static void Run(string operation, Action call) => Run(operation, () =>
    {
        call();
        return 0;
    });

    internal static TorchException Translate(string operation, Exception e)
    {
        string message = e.Message;
        int backtrace = message.IndexOf("\nException raised from", StringComparison.Ordinal);
        if (backtrace >= 0)
            message = message[..backtrace];
        message = message.Trim();
        string text = $"{operation} failed: {message}";
        bool memory = e is OutOfMemoryException ||
                      message.Contains("allocate", StringComparison.OrdinalIgnoreCase) ||
                      message.Contains("out of memory", StringComparison.OrdinalIgnoreCase);
        return memory ? new TorchOutOfMemoryException(text) : new TorchException(text);
    }
}
