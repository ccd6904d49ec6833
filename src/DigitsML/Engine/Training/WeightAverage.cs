// WeightAverage.cs — an exponential moving average of a network's weights, kept on the device beside it.
using static TorchSharp.torch;

namespace DigitsML.Engine;

/// <summary>Averages a network's state (parameters and BatchNorm statistics) over training steps (decay 0.999 by default,
/// with the usual warm-up min(decay, (1 + t) / (10 + t))). <see cref="Swap"/> exchanges averaged and live weights, so
/// evaluating with the average is Swap, evaluate, Swap. Disposable; belongs to the network it was made for.</summary>
internal sealed class WeightAverage : IDisposable
{
    private readonly Network network;
    private readonly IReadOnlyList<Tensor> live;
    private readonly Tensor[] shadow;
    private readonly double decay;
    private bool disposed;

    /// <exception cref="ArgumentOutOfRangeException"><paramref name="decay"/> is not in (0, 1).</exception>
    public WeightAverage(Network network, double decay)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (!(decay > 0 && decay < 1))
            throw new ArgumentOutOfRangeException(nameof(decay), decay, "The decay must be in (0, 1).");
        this.network = network;
        this.decay = decay;
        live = network.StateTensors;
        using var noGrad = no_grad();
        shadow = [.. live.Select(t => t.detach().clone())];
    }

    /// <summary>Folds the network's current weights in after optimizer step <paramref name="step"/> (0-based).</summary>
    public void Update(long step)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        // Early on the average would remember the random initial weights for ~1/(1 - decay) steps; the warm-up decay
        // lets it follow the weights until enough steps have passed. shadow += (1 - d)(live - shadow) is one lerp.
        double d = Math.Min(decay, (1.0 + step) / (10.0 + step));
        using var noGrad = no_grad();
        for (int k = 0; k < shadow.Length; k++)
            shadow[k].lerp_(live[k], 1 - d);
    }

    /// <summary>Exchanges the averaged and the live weights of the network.</summary>
    public void Swap()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        using var noGrad = no_grad();
        for (int k = 0; k < shadow.Length; k++)
        {
            using var held = live[k].detach().clone();
            live[k].copy_(shadow[k]);
            shadow[k].copy_(held);
        }
    }

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

    public void Dispose()
    {
        if (disposed)
            return;
        disposed = true;
        foreach (var t in shadow)
            t.Dispose();
    }
}
