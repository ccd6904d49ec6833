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
        if (!file.Exists)
            throw new FileNotFoundException($"No model file at '{file.FullName}'.", file.FullName);
        ITransformer transformer;
        DataViewSchema schema;
        try
        {
            transformer = ml.Model.Load(file.FullName, out schema);
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or InvalidOperationException or EndOfStreamException)
        {
            // ML.NET's messages name neither the file nor what it expected ("End of Central Directory record could not
            // be found", "Could not find...").
            throw new DataFormatException(file.FullName, $"not an ML.NET model zip (as digits train writes them): {e.Message}");
        }
        return new LoadedModel(file.FullName, transformer, schema);
    }

    public void Dispose() => (Transformer as IDisposable)?.Dispose();
}
