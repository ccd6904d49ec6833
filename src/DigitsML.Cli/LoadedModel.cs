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

    /// <summary>The model file's full path.</summary>
    public string Path { get; }

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

    public void Dispose() => (Transformer as IDisposable)?.Dispose();
}
