// NativeStatus.cs — the status codes of the native ABI (dml_status in digitsml.h).
namespace DigitsML.Interop;

internal enum NativeStatus
{
    Ok = 0,
    InvalidArgument = 1,
    Torch = 2,
    OutOfMemory = 3,
    Device = 4,
    Unknown = 5,
}
