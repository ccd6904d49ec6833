// Network.cs — a network built by TorchSharp from a definition: forward passes, evaluation and state.
using System.Globalization;
using DigitsML.Networks;
using TorchSharp;
using static TorchSharp.torch;
using Device = DigitsML.Networks.Device;
using TorchDevice = TorchSharp.torch.Device;

namespace DigitsML.Engine;

/// <summary>A live network in libtorch (through TorchSharp). Owns native memory: dispose it (double dispose is
/// harmless; any use after dispose throws <see cref="ObjectDisposedException"/>). Forward passes from several threads
/// at once are safe; training and state writes must not overlap other calls.</summary>
internal sealed class Network : IDisposable
{
    // torch.random.manual_seed is process-wide: creation holds this lock so that concurrent creations each see their seed.
    private static readonly Lock CreationLock = new();

    private readonly nn.Module<Tensor, Tensor> body;
    private readonly IReadOnlyList<(string Name, Tensor Tensor)> state;
    private readonly Lock modeLock = new();
    private bool training = true;
    private bool disposed;

    private Network(NetworkDefinition definition, NetworkSummary summary, Device device, nn.Module<Tensor, Tensor> body, Generator dropout)
    {
        Definition = definition;
        Summary = summary;
        Device = device;
        this.body = body;
        DropoutGenerator = dropout;
        // The state as PyTorch's state_dict names it: parameters, then buffers (BatchNorm running statistics);
        // num_batches_tracked only matters when BatchNorm's momentum is None, which no layer here uses.
        state = [.. body.named_parameters().Select(p => (p.name, (Tensor)p.parameter)),
                 .. body.named_buffers().Where(b => !b.name.EndsWith("num_batches_tracked", StringComparison.Ordinal))];
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

    /// <summary>The TorchSharp module, for the trainer.</summary>
    internal nn.Module<Tensor, Tensor> Module
    {
        get
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            return body;
        }
    }

    /// <summary>The generator the dropout layers draw from; its state goes into checkpoints.</summary>
    internal Generator DropoutGenerator { get; }

    /// <summary>The TorchSharp device of <see cref="Device"/>.</summary>
    internal TorchDevice TorchDevice => Device.Kind == DeviceKind.Cpu ? CPU : new TorchDevice(DeviceType.CUDA, Device.Index);

    /// <summary>Builds <paramref name="definition"/> with weights initialised as PyTorch does, from <paramref name="seed"/>.</summary>
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
        TorchRuntime.EnsureInitialized();
        if (device.Kind == DeviceKind.Cuda && (device.Index < 0 || device.Index >= TorchRuntime.CudaDeviceCount))
            throw new DeviceUnavailableException($"CUDA device {device.Index} requested but {TorchRuntime.CudaDeviceCount} CUDA device(s) are available.");
        var torchDevice = device.Kind == DeviceKind.Cpu ? CPU : new TorchDevice(DeviceType.CUDA, device.Index);
        return TorchCall.Run($"building network {definition.Name} on {device}", () =>
        {
            var dropout = new Generator(Seeds.Dropout(seed), torchDevice);
            var context = new ModuleContext(dropout);
            var modules = new List<(string, nn.Module<Tensor, Tensor>)>(summary.Layers.Count);
            lock (CreationLock)
            {
                random.manual_seed(unchecked((long)seed));
                foreach (var row in summary.Layers)
                    modules.Add((row.Index.ToString(CultureInfo.InvariantCulture), row.Layer.CreateModule(row.InputShape, context)));
            }
            var body = nn.Sequential(modules);
            body.to(torchDevice);
            var network = new Network(definition, summary, device, body, dropout);
            try
            {
                network.DryRun();
            }
            catch
            {
                network.Dispose();
                throw;
            }
            return network;
        });
    }

    /// <summary>One image through the network finds any shape libtorch rejects before training starts.</summary>
    private void DryRun()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        SetTraining(false);
        var probe = body.forward(zeros(InputDimensions(1), device: TorchDevice));
        if (probe.dim() != 2 || probe.shape[1] != Classes)
            throw new TorchException($"{Definition.Name} gives ({string.Join(", ", probe.shape)}) for one image; ({Classes}) classes were expected.");
    }

    /// <summary>Trainable parameters.</summary>
    public long ParameterCount => Module.parameters().Sum(p => p.numel());

    /// <summary>Runs <paramref name="count"/> examples through the network in evaluation mode, without gradients.</summary>
    /// <param name="inputs">count × <see cref="InputElements"/> values, row-major.</param>
    /// <param name="count">Examples in <paramref name="inputs"/>.</param>
    /// <param name="probabilities">Softmax probabilities when true (default), raw logits when false.</param>
    /// <returns>count × <see cref="Classes"/> values.</returns>
    /// <exception cref="ArgumentException">The input length does not match count.</exception>
    /// <exception cref="TorchOutOfMemoryException">The batch does not fit in memory.</exception>
    public float[] Forward(ReadOnlySpan<float> inputs, int count, bool probabilities = true)
    {
        RequireInput(inputs.Length, count);
        ObjectDisposedException.ThrowIf(disposed, this);
        var output = new float[(long)count * Classes];
        try
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            SetTraining(false);
            var y = body.forward(Input(inputs, count));
            if (probabilities)
                y = y.softmax(1);
            CopyOut(y, output);
        }
        catch (Exception e) when (e is System.Runtime.InteropServices.ExternalException or OutOfMemoryException)
        {
            throw TorchCall.Translate($"forward pass of {Definition.Name}", e);
        }
        return output;
    }

    /// <summary>One evaluation batch of resident tensors (inputs (n, C, H, W) and int64 labels on the device): summed
    /// cross-entropy, correct predictions and, when <paramref name="probabilities"/> is not empty, the class probabilities.</summary>
    internal (double LossSum, long Correct) EvaluateBatch(Tensor inputs, Tensor labels, Span<float> probabilities)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        SetTraining(false);
        var logits = Module.forward(inputs);
        double loss = nn.functional.cross_entropy(logits, labels, reduction: nn.Reduction.Sum).item<float>();
        long correct = logits.argmax(1).eq(labels).sum().item<long>();
        if (!probabilities.IsEmpty)
            CopyOut(logits.softmax(1), probabilities);
        return (loss, correct);
    }

    /// <summary>Puts the layers in training mode (dropout on, BatchNorm on batch statistics) or evaluation mode.</summary>
    internal void SetTraining(bool on)
    {
        lock (modeLock)
        {
            if (training == on)
                return;
            body.train(on);
            training = on;
        }
    }

    /// <summary>Copies the state out: trainable parameters, then buffers such as BatchNorm running statistics,
    /// named as PyTorch names them.</summary>
    public IReadOnlyList<NamedTensor> GetState()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var tensors = new List<NamedTensor>(state.Count);
        foreach (var (name, tensor) in state)
        {
            using var host = tensor.detach().cpu();
            tensors.Add(new NamedTensor(name, [.. tensor.shape.Select(d => checked((int)d))], host.data<float>().ToArray()));
        }
        return tensors;
    }

    /// <summary>Copies <paramref name="tensors"/> into the network by name. Every tensor of the network must be
    /// given, with its exact shape; nothing is written unless all match.</summary>
    /// <exception cref="ArgumentException">A tensor is missing, unknown or of the wrong shape; the message names it.</exception>
    public void SetState(IEnumerable<NamedTensor> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        ObjectDisposedException.ThrowIf(disposed, this);
        var byName = new Dictionary<string, NamedTensor>();
        foreach (var t in tensors)
            if (!byName.TryAdd(t.Name, t))
                throw new ArgumentException($"Tensor '{t.Name}' is given twice.", nameof(tensors));
        var plan = new List<(Tensor Target, NamedTensor Source)>(state.Count);
        foreach (var (name, tensor) in state)
        {
            int[] shape = [.. tensor.shape.Select(d => (int)d)];
            if (!byName.Remove(name, out var given))
                throw new ArgumentException($"Tensor '{name}' of {Definition.Name} is missing.", nameof(tensors));
            if (!given.Shape.SequenceEqual(shape) || given.Data.Length != given.Elements)
                throw new ArgumentException(
                    $"Tensor '{name}' of {Definition.Name} has shape ({string.Join(", ", shape)}); the given one has {given.ShapeText} with {given.Data.Length} values.",
                    nameof(tensors));
            plan.Add((tensor, given));
        }
        if (byName.Count > 0)
            throw new ArgumentException($"Tensor '{byName.Keys.First()}' is not part of {Definition.Name}.", nameof(tensors));
        using var noGrad = no_grad();
        foreach (var (target, source) in plan)
        {
            using var host = tensor(source.Data, target.shape);
            target.copy_(host);
        }
    }

    /// <summary>The live state tensors in <see cref="GetState"/>'s order, for the weight average.</summary>
    internal IReadOnlyList<Tensor> StateTensors
    {
        get
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            return [.. state.Select(s => s.Tensor)];
        }
    }

    /// <summary>(count, C, H, W), or (count, F) for vector input.</summary>
    internal long[] InputDimensions(long count)
    {
        var shape = Definition.InputShape;
        return shape.Rank == 1 ? [count, shape.Channels] : [count, shape.Channels, shape.Height, shape.Width];
    }

    /// <summary>Copies <paramref name="inputs"/> into a new tensor on the device (in the current dispose scope).</summary>
    private Tensor Input(ReadOnlySpan<float> inputs, int count)
    {
        var x = empty(InputDimensions(count), float32);
        x.data<float>().CopyFrom(inputs);
        return Device.Kind == DeviceKind.Cpu ? x : x.to(TorchDevice);
    }

    private static void CopyOut(Tensor y, Span<float> output)
    {
        var host = y.device_type == DeviceType.CPU ? y.contiguous() : y.cpu().contiguous();
        host.data<float>().CopyTo(output);
    }

    private void RequireInput(int length, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if ((long)length != (long)count * InputElements)
            throw new ArgumentException(
                $"{count} examples of shape {Definition.InputShape} need {(long)count * InputElements} values; {length} were given.");
    }

    /// <summary>Frees the native network. Safe to call more than once.</summary>
    public void Dispose()
    {
        if (disposed)
            return;
        disposed = true;
        body.Dispose();
        DropoutGenerator.Dispose();
    }
}
