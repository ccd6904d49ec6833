// ModelOperationsCatalog.cs — ml.Model: saving and loading model files, and prediction engines.
using DigitsML.IO;
using DigitsML.Model;

namespace DigitsML;

/// <summary>Model files and prediction engines, reached as <c>ml.Model</c>. A model file is a zip holding a version
/// entry, <c>pipeline.json</c> (each transformer's kind and parameters, the input schema, class names), each network's
/// definition and safetensors weights, and a manifest of SHA-256 hashes; loading never runs code, bounds every size and
/// verifies every hash. A loaded model predicts exactly what the saved one did.</summary>
public sealed class ModelOperationsCatalog
{
    private const string LogSource = "ModelOperationsCatalog";
    private readonly MLContext context;

    internal ModelOperationsCatalog(MLContext context) => this.context = context;

    /// <summary>Saves <paramref name="model"/> and the schema of the data it takes to <paramref name="filePath"/>,
    /// atomically (a crash leaves any old file intact).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The model does not accept <paramref name="inputSchema"/>.</exception>
    /// <exception cref="NotSupportedException">The model holds a transformer that is not DigitsML's.</exception>
    public void Save(ITransformer model, DataViewSchema inputSchema, string filePath)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputSchema);
        ArgumentException.ThrowIfNullOrWhiteSpace(filePath);
        ModelArchive.Save(filePath, ModelFile.ToEntries(model, inputSchema));
    }

    /// <summary>Writes <paramref name="model"/> and its input schema to <paramref name="stream"/>, which stays open.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The model does not accept <paramref name="inputSchema"/>.</exception>
    /// <exception cref="NotSupportedException">The model holds a transformer that is not DigitsML's.</exception>
    public void Save(ITransformer model, DataViewSchema inputSchema, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputSchema);
        ArgumentNullException.ThrowIfNull(stream);
        ModelArchive.Write(stream, ModelFile.ToEntries(model, inputSchema));
    }

    /// <summary>Loads a model saved by <see cref="Save(ITransformer, DataViewSchema, string)"/>, its networks on the device
    /// the context selects. The result (a <see cref="TransformerChain{TLastTransformer}"/> of <see cref="ITransformer"/>
    /// for a saved chain) owns native memory: dispose it.</summary>
    /// <param name="filePath">The model file.</param>
    /// <param name="inputSchema">The schema of the data the model was saved with.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="DataFormatException">The file is not a DigitsML model, was altered, has an unknown format version or
    /// transformer kind; the message says what to do.</exception>
    /// <exception cref="DeviceUnavailableException">The context asks for a GPU that cannot be used, without fall-back.</exception>
    public ITransformer Load(string filePath, out DataViewSchema inputSchema)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(filePath);
        if (!File.Exists(filePath))
            throw new FileNotFoundException($"Model file not found: {filePath}", filePath);
        using var file = File.OpenRead(filePath);
        return ModelFile.FromEntries(ModelArchive.Read(file, filePath), filePath, context.SelectDevice(LogSource), out inputSchema);
    }

    /// <summary>Loads a model from <paramref name="stream"/> (left open). See <see cref="Load(string, out DataViewSchema)"/>.</summary>
    /// <exception cref="DataFormatException">The stream is not a valid DigitsML model.</exception>
    /// <exception cref="DeviceUnavailableException">The context asks for a GPU that cannot be used, without fall-back.</exception>
    public ITransformer Load(Stream stream, out DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(stream);
        const string source = "model stream";
        return ModelFile.FromEntries(ModelArchive.Read(stream, source), source, context.SelectDevice(LogSource), out inputSchema);
    }

    /// <summary>A prediction engine: one example of <typeparamref name="TSrc"/> in, one <typeparamref name="TDst"/> out.
    /// Not thread-safe, like ML.NET's: use one per thread, or a <see cref="PredictionEnginePool{TData, TPrediction}"/>.</summary>
    /// <param name="transformer">The model; it stays owned by the caller.</param>
    /// <param name="ignoreMissingColumns">True (default) leaves <typeparamref name="TDst"/> members without a matching
    /// output column unset; false throws.</param>
    /// <exception cref="ArgumentOutOfRangeException">The model does not accept <typeparamref name="TSrc"/>'s columns, or
    /// (with <paramref name="ignoreMissingColumns"/> false) a member of <typeparamref name="TDst"/> has no column.</exception>
    /// <exception cref="InvalidOperationException">An output column cannot be written into its member.</exception>
    public PredictionEngine<TSrc, TDst> CreatePredictionEngine<TSrc, TDst>(ITransformer transformer, bool ignoreMissingColumns = true)
        where TSrc : class where TDst : class, new()
    {
        ArgumentNullException.ThrowIfNull(transformer);
        return new PredictionEngine<TSrc, TDst>(transformer, ignoreMissingColumns);
    }
}
