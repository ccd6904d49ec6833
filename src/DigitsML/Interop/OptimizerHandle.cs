// OptimizerHandle.cs — owns one native dml_optimizer.
using System.Runtime.InteropServices;

namespace DigitsML.Interop;

internal sealed class OptimizerHandle : SafeHandle
{
    public OptimizerHandle() : base(IntPtr.Zero, ownsHandle: true) { }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        NativeMethods.OptimizerFree(handle);
        return true;
    }
}
