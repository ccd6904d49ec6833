// Network.cs — a network built by libtorch from a definition: forward passes, evaluation and state.
using System.Runtime.InteropServices;
using DigitsML.Interop;

namespace DigitsML.Engine;

/// <summary>A live network in libtorch. Owns native memory: dispose it (double dispose is harmless;
/// any use after dispose throws <see cref="ObjectDisposedException"/>). Forward passes from several threads
/// at once are safe; training and state writes must not overlap other calls.</summary>
public sealed unsafe class Network : IDisposable
{
    private readonly NetworkHandle handle;

    private Network(NetworkHandle handle, NetworkDefinition definition, NetworkSummary summary, Device device)
    {
        this.handle = handle;
        Definition = definition;
        Summary = summary;
        Device = device;
    }

    /// <summary>The definition it was built from.</summary>
    public NetworkDefinition Definition { get; }

    /// <summary>Shapes and parameter counts.</summary>
    public NetworkSummary Summary { get; }

    /// <summary>The device its tensors live on.</summary>
    public Device Device { get; }

    /// <summary>Number of classes it scores.</summary>
    public int Classes => Summary.Classes;

    /// <summary>Values in one input example.</summary>
    public int InputElements => (int)Definition.InputShape.Elements;

    internal NetworkHandle Handle
    {
        get
        {
            ObjectDisposedException.ThrowIf(handle.IsClosed, this);
            return handle;
        }
    }

    /// <summary>Builds <paramref name="definition"/> in libtorch with weights initialised as PyTorch does,
    /// from <paramref name="seed"/>.</summary>
    /// <param name="definition">The layers.</param>
    /// <param name="device">Where the tensors live; default the CPU.</param>
    /// <param name="seed">Fixes the initial weights and the dropout masks; default 0.</param>
    /// <exception cref="InvalidNetworkException">The layers do not fit the input shape.</exception>
    /// <exception cref="DeviceUnavailableException">The device is not available.</exception>
    /// <exception cref="TorchException">libtorch refused the network.</exception>
    public static Network Create(NetworkDefinition definition, Device device = default, ulong seed = 0)
    {
        ArgumentNullException.ThrowIfNull(definition);
        NetworkSummary summary = definition.Summarize();
        var native = new List<NativeLayer>(summary.Layers.Count);
        foreach (var row in summary.Layers)
            row.Layer.EncodeTo(native, row.InputShape);
        TensorShape input = definition.InputShape;
        return new Network(CreateNative([.. native], input, seed, device, definition.Name), definition, summary, device);
    }

    /// <summary>Creates the native object from an encoded layer list; shapes are not checked here.</summary>
    internal static NetworkHandle CreateNative(NativeLayer[] layers, TensorShape input, ulong seed, Device device, string name)
    {
        TorchRuntime.EnsureInitialized();
        NetworkHandle created;
        fixed (NativeLayer* p = layers)
        {
            NativeError.Check(NativeMethods.NetworkCreate(p, layers.Length, input.Channels, input.Height, input.Width, seed,
                (int)device.Kind, device.Index, out created), $"building network {name} on {device}");
        }
        return created;
    }

    /// <summary>Trainable parameters as counted by libtorch.</summary>
    public long ParameterCount
    {
        get
        {
            NativeError.Check(NativeMethods.NetworkParameterCount(Handle, out long count), "counting parameters");
            return count;
        }
    }

    /// <summary>Runs <paramref name="count"/> examples through the network in evaluation mode, without gradients.</summary>
    /// <param name="inputs">count × <see cref="InputElements"/> values, row-major.</param>
    /// <param name="count">Examples in <paramref name="inputs"/>.</param>
    /// <param name="probabilities">Softmax probabilities when true (default), raw logits when false.</param>
    /// <returns>count × <see cref="Classes"/> values.</returns>
    /// <exception cref="ArgumentException">The input length does not match count.</exception>
    public float[] Forward(ReadOnlySpan<float> inputs, int count, bool probabilities = true)
    {
        RequireInput(inputs.Length, count);
        var output = new float[(long)count * Classes];
        fixed (float* x = inputs)
        fixed (float* y = output)
        {
            NativeError.Check(NativeMethods.NetworkForward(Handle, x, count, probabilities ? 1 : 0, y, output.Length),
                $"forward pass of {Definition.Name}");
        }
        return output;
    }

    /// <summary>Runs <paramref name="count"/> examples up to and including layer <paramref name="layerIndex"/> (evaluation
    /// mode, no gradients) and returns that layer's output, e.g. the feature maps of the first convolution.</summary>
    /// <returns>count × the layer's output size values, laid out as <see cref="NetworkSummary.Layers"/> gives the shape.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The layer index is outside the network.</exception>
    /// <exception cref="ArgumentException">The input length does not match count.</exception>
    public float[] ForwardTo(int layerIndex, ReadOnlySpan<float> inputs, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(layerIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(layerIndex, Summary.Layers.Count);
        RequireInput(inputs.Length, count);
        var output = new float[count * Summary.Layers[layerIndex].OutputShape.Elements];
        fixed (float* x = inputs)
        fixed (float* y = output)
        {
            NativeError.Check(NativeMethods.NetworkForwardTo(Handle, x, count, layerIndex, y, output.Length),
                $"forward pass of {Definition.Name} to layer {layerIndex}");
        }
        return output;
    }

    /// <summary>One evaluation batch: summed cross-entropy, correct predictions and, when
    /// <paramref name="probabilities"/> is not empty, the class probabilities.</summary>
    internal (double LossSum, long Correct) EvaluateBatch(ReadOnlySpan<float> inputs, ReadOnlySpan<long> labels, Span<float> probabilities)
    {
        RequireInput(inputs.Length, labels.Length);
        if (!probabilities.IsEmpty && probabilities.Length != labels.Length * Classes)
            throw new ArgumentException($"probabilities must hold {labels.Length * Classes} values", nameof(probabilities));
        fixed (float* x = inputs)
        fixed (long* y = labels)
        fixed (float* p = probabilities)
        {
            NativeError.Check(NativeMethods.NetworkEvaluate(Handle, x, y, labels.Length, out double loss, out long correct,
                probabilities.IsEmpty ? null : p, probabilities.Length), $"evaluating {Definition.Name}");
            return (loss, correct);
        }
    }

    /// <summary>Copies the state out: trainable parameters, then buffers such as BatchNorm running statistics,
    /// named as PyTorch names them.</summary>
    public IReadOnlyList<NamedTensor> GetState()
    {
        NativeError.Check(NativeMethods.NetworkStateCount(Handle, out int count), "reading the state");
        var tensors = new List<NamedTensor>(count);
        for (int i = 0; i < count; i++)
        {
            (string name, int[] shape) = StateInfo(i);
            var data = new float[shape.Aggregate(1L, (a, d) => a * d)];
            fixed (float* p = data)
                NativeError.Check(NativeMethods.NetworkStateRead(Handle, i, p, data.Length), $"reading {name}");
            tensors.Add(new NamedTensor(name, shape, data));
        }
        return tensors;
    }

    /// <summary>Copies <paramref name="tensors"/> into the network by name. Every tensor of the network must be
    /// given, with its exact shape; nothing is written unless all match.</summary>
    /// <exception cref="ArgumentException">A tensor is missing, unknown or of the wrong shape; the message names it.</exception>
    public void SetState(IEnumerable<NamedTensor> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var byName = new Dictionary<string, NamedTensor>();
        foreach (var t in tensors)
            if (!byName.TryAdd(t.Name, t))
                throw new ArgumentException($"Tensor '{t.Name}' is given twice.", nameof(tensors));
        NativeError.Check(NativeMethods.NetworkStateCount(Handle, out int count), "reading the state");
        var plan = new List<(int Index, NamedTensor Tensor)>(count);
        for (int i = 0; i < count; i++)
        {
            (string name, int[] shape) = StateInfo(i);
            if (!byName.Remove(name, out var given))
                throw new ArgumentException($"Tensor '{name}' of {Definition.Name} is missing.", nameof(tensors));
            if (!given.Shape.SequenceEqual(shape) || given.Data.Length != given.Elements)
                throw new ArgumentException(
                    $"Tensor '{name}' of {Definition.Name} has shape ({string.Join(", ", shape)}); the given one has {given.ShapeText} with {given.Data.Length} values.",
                    nameof(tensors));
            plan.Add((i, given));
        }
        if (byName.Count > 0)
            throw new ArgumentException($"Tensor '{byName.Keys.First()}' is not part of {Definition.Name}.", nameof(tensors));
        foreach (var (index, tensor) in plan)
            fixed (float* p = tensor.Data)
                NativeError.Check(NativeMethods.NetworkStateWrite(Handle, index, p, tensor.Data.Length), $"writing {tensor.Name}");
    }

    private (string Name, int[] Shape) StateInfo(int index)
    {
        long* dims = stackalloc long[8];
        NativeError.Check(NativeMethods.NetworkStateInfo(Handle, index, out byte* name, out _, out int rank, dims),
            "reading the state");
        var shape = new int[rank];
        for (int d = 0; d < rank; d++)
            shape[d] = checked((int)dims[d]);
        return (Marshal.PtrToStringUTF8((IntPtr)name) ?? "", shape);
    }

    private void RequireInput(int length, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if ((long)length != (long)count * InputElements)
            throw new ArgumentException(
                $"{count} examples of shape {Definition.InputShape} need {(long)count * InputElements} values; {length} were given.");
    }

    /// <summary>Frees the native network. Safe to call more than once.</summary>
    public void Dispose() => handle.Dispose();
}
