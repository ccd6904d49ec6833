// MLContext.cs — the starting point of every DigitsML pipeline: catalogs, randomness, device choice and logging.
using DigitsML.Engine;

namespace DigitsML;

/// <summary>ML.NET's entry point: the catalogs through which data is loaded (<see cref="Data"/>), transformed
/// (<see cref="Transforms"/>), trained and evaluated (<see cref="MulticlassClassification"/>) and saved
/// (<see cref="Model"/>). A seed makes every random choice of the context repeatable. Not thread-safe while it is
/// being configured; components it creates are independent once created.</summary>
public sealed class MLContext
{
    private readonly Random random;
    private readonly Lock randomGate = new();

    /// <summary>Creates a context.</summary>
    /// <param name="seed">Seeds every random choice the context makes (shuffles, splits, initial weights); null (default)
    /// draws a seed from the system, so runs differ.</param>
    public MLContext(int? seed = null)
    {
        Seed = seed;
        random = seed is int s ? new Random(s) : new Random();
        Data = new DataOperationsCatalog(this);
        Transforms = new TransformsCatalog(this);
        MulticlassClassification = new MulticlassClassificationCatalog(this);
        Model = new ModelOperationsCatalog(this);
    }

    /// <summary>Loading, splitting, shuffling, caching and converting data.</summary>
    public DataOperationsCatalog Data { get; }

    /// <summary>Data transforms: key mapping and pixel scaling.</summary>
    public TransformsCatalog Transforms { get; }

    /// <summary>Multiclass trainers (the CNN), evaluation and cross-validation.</summary>
    public MulticlassClassificationCatalog MulticlassClassification { get; }

    /// <summary>Saving and loading models, and prediction engines.</summary>
    public ModelOperationsCatalog Model { get; }

    /// <summary>The CUDA GPU trainers and loaded models use, as in ML.NET; default null, the CPU. Settable, like
    /// ML.NET's, so that it can be changed after the context is made.</summary>
    public int? GpuDeviceId { get; set; }

    /// <summary>When <see cref="GpuDeviceId"/> names a GPU that cannot be used: true continues on the CPU with a
    /// warning on <see cref="Log"/>, false (default) throws <see cref="DeviceUnavailableException"/>.</summary>
    public bool FallbackToCpu { get; set; }

    /// <summary>Raised for progress and warnings of the components this context creates (training epochs, device
    /// fall-back). Handlers run on the thread doing the work.</summary>
    public event EventHandler<LoggingEventArgs>? Log;

    /// <summary>The seed given to the constructor.</summary>
    internal int? Seed { get; }

    /// <summary>The next value of the context's random sequence; thread-safe.</summary>
    internal int NextRandom()
    {
        lock (randomGate)
            return random.Next();
    }

    /// <summary>The device to train and predict on, from <see cref="GpuDeviceId"/> and <see cref="FallbackToCpu"/>.</summary>
    /// <exception cref="DeviceUnavailableException">The GPU cannot be used and fall-back is off.</exception>
    internal Device SelectDevice(string source) =>
        Device.Select(GpuDeviceId, FallbackToCpu, message => Write(source, ChannelMessageKind.Warning, message));

    internal void Write(string source, ChannelMessageKind kind, string message) =>
        Log?.Invoke(this, new LoggingEventArgs(source, kind, message));
}
