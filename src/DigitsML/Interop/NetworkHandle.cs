// NetworkHandle.cs — owns one native dml_network.
using System.Runtime.InteropServices;

namespace DigitsML.Interop;

internal sealed class NetworkHandle : SafeHandle
{
    public NetworkHandle() : base(IntPtr.Zero, ownsHandle: true) { }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        NativeMethods.NetworkFree(handle);
        return true;
    }
}
