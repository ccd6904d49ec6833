// EmaHandle.cs — owns one native dml_ema (a moving average of a network's weights).
using System.Runtime.InteropServices;

namespace DigitsML.Interop;

internal sealed class EmaHandle : SafeHandle
{
    public EmaHandle() : base(IntPtr.Zero, ownsHandle: true) { }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        NativeMethods.EmaFree(handle);
        return true;
    }
}
