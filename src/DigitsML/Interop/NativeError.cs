// NativeError.cs — the one place a native status becomes a .NET exception.
using System.Runtime.InteropServices;

namespace DigitsML.Interop;

internal static unsafe class NativeError
{
    /// <summary>Throws the exception that matches <paramref name="status"/>, carrying the native message.</summary>
    internal static void Check(NativeStatus status, string operation)
    {
        if (status == NativeStatus.Ok)
            return;
        string message = Marshal.PtrToStringUTF8((IntPtr)NativeMethods.LastError()) ?? "";
        string text = $"{operation} failed: {message}";
        throw status switch
        {
            NativeStatus.InvalidArgument => new ArgumentException(text),
            NativeStatus.OutOfMemory => new TorchOutOfMemoryException(text),
            NativeStatus.Device => new DeviceUnavailableException(text),
            _ => new TorchException(text),
        };
    }
}
