// LoadedModel.cs — a model file loaded for one command; disposing it frees the ONNX session and ML.NET's copy of the graph.
namespace DigitsML.Cli;

internal sealed class LoadedModel : IDisposable
{
    private LoadedModel(string path, ITransformer transformer, DataViewSchema inputSchema)
    {
        Path = path;
        Transformer = transformer;
        InputSchema = inputSchema;
    }

    /// <summary>The model file's full path, or for a shipped model its <see cref="ShippedModel.Label"/>.</summary>
    public string Path { get; }

    /// <summary>Whether this is a model shipped in DigitsML.Scoring rather than a file.</summary>
    public bool IsShipped { get; private init; }

    /// <summary>The loaded pipeline; owned by this object.</summary>
    public ITransformer Transformer { get; }

    /// <summary>The schema of the data the model was saved with.</summary>
    public DataViewSchema InputSchema { get; }

    /// <summary>Loads an ML.NET model zip (as <c>digits train</c> and <c>digits ensemble</c> write them).</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="DataFormatException">The file is not an ML.NET model zip; the message names it.</exception>
    public static LoadedModel Load(MLContext ml, FileInfo file)
    {
        var transformer = ml.Model.LoadDigitsModel(file.FullName, out var schema);
        return new LoadedModel(file.FullName, transformer, schema);
    }

    /// <summary>Loads the model shipped in DigitsML.Scoring called <paramref name="name"/> (<see cref="PretrainedModels.Digits"/>
    /// or <see cref="PretrainedModels.Reader"/>), checked against its SHA-256.</summary>
    /// <exception cref="DataFormatException">The embedded model does not match its manifest.</exception>
    public static LoadedModel LoadShipped(MLContext ml, string name)
    {
        using var stream = PretrainedModels.Open(name);
        var transformer = ml.Model.LoadDigitsModel(stream, out var schema);
        return new LoadedModel(ShippedModel.Label(name), transformer, schema) { IsShipped = true };
    }

    public void Dispose() => (Transformer as IDisposable)?.Dispose();
}
