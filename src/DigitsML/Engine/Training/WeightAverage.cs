// WeightAverage.cs — an exponential moving average of a network's weights, kept natively beside it.
using DigitsML.Interop;

namespace DigitsML.Engine;

/// <summary>Averages a network's state over training steps (decay 0.999 by default, with the usual warm-up
/// min(decay, (1 + t) / (10 + t))). <see cref="Swap"/> exchanges averaged and live weights, so evaluating with the
/// average is Swap, evaluate, Swap. Disposable; belongs to the network it was made for.</summary>
internal sealed class WeightAverage : IDisposable
{
    private readonly EmaHandle handle;
    private readonly Network network;

    /// <exception cref="ArgumentOutOfRangeException"><paramref name="decay"/> is not in (0, 1).</exception>
    public WeightAverage(Network network, double decay)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (!(decay > 0 && decay < 1))
            throw new ArgumentOutOfRangeException(nameof(decay), decay, "The decay must be in (0, 1).");
        this.network = network;
        NativeError.Check(NativeMethods.EmaCreate(network.Handle, decay, out handle), "creating the weight average");
    }

    /// <summary>Folds the network's current weights in after optimizer step <paramref name="step"/> (0-based).</summary>
    public void Update(long step) => NativeError.Check(NativeMethods.EmaUpdate(Live, network.Handle, step), "updating the weight average");

    /// <summary>Exchanges the averaged and the live weights of the network.</summary>
    public void Swap() => NativeError.Check(NativeMethods.EmaSwap(Live, network.Handle), "swapping in the weight average");

    /// <summary>The averaged weights, read by swapping them in and out; the live weights are unchanged.</summary>
    public IReadOnlyList<NamedTensor> GetState()
    {
        Swap();
        try { return network.GetState(); }
        finally { Swap(); }
    }

    /// <summary>Replaces the averaged weights (as a resumed run does); the live weights are unchanged.</summary>
    /// <exception cref="ArgumentException">A tensor is missing or of another shape.</exception>
    public void SetState(IEnumerable<NamedTensor> tensors)
    {
        Swap();
        try { network.SetState(tensors); }
        finally { Swap(); }
    }

    private EmaHandle Live
    {
        get
        {
            ObjectDisposedException.ThrowIf(handle.IsClosed, this);
            return handle;
        }
    }

    public void Dispose() => handle.Dispose();
}
