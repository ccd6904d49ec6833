// DigitsModelCatalog.cs — ml.Model.LoadDigitsModel: ml.Model.Load for a model zip, with the file named in errors and
// ML.NET's one-in-32,768 ONNX temp-file failure retried.
using Microsoft.ML;
using Microsoft.ML.OnnxRuntime;

namespace DigitsML;

/// <summary>Loading saved models, reached from <c>ml.Model</c> of a <see cref="MLContext"/>.</summary>
/// <remarks>
/// <c>ml.Model.Load</c> loads every DigitsML model zip; these methods do the same and add two things.
/// <list type="bullet">
/// <item>ML.NET's <c>ApplyOnnxModel</c> writes a loaded model's ONNX graph to a temporary file named by
/// <see cref="Path.GetRandomFileName"/> (8 + 3 characters of 32, no ".onnx"), and ONNX Runtime reads a file whose name
/// ends in ".ort" as its own ORT format. One load in 32<sup>3</sup> = 32,768 therefore fails with "ORT model verification
/// failed" (dotnet/machinelearning#7339, still so in Microsoft.ML 5.0.1). The name is drawn afresh on every load, so
/// such a load is tried again, up to <see cref="Attempts"/> times in all; other failures are not retried.</item>
/// <item>A file that is not a model zip raises a <see cref="DataFormatException"/> naming the file (ML.NET's own
/// messages, such as "End of Central Directory record could not be found", name neither the file nor the format).</item>
/// </list></remarks>
public static partial class DigitsModelCatalog
{
    /// <summary>How many times a load is tried when it fails on ML.NET's temporary ".ort" name: the chance that all of
    /// them do is 32,768<sup>−3</sup>.</summary>
    public const int Attempts = 3;

    /// <summary>Loads a model zip saved by <c>ml.Model.Save</c> (a DigitsML model or any ML.NET pipeline).</summary>
    /// <param name="catalog">The model catalog, <c>ml.Model</c>.</param>
    /// <param name="filePath">The model zip.</param>
    /// <param name="inputSchema">The schema of the data the model was saved with.</param>
    /// <returns>The loaded model; dispose it (when it is <see cref="IDisposable"/>) to free its ONNX session.</returns>
    /// <exception cref="ArgumentException"><paramref name="filePath"/> is null, empty or white space.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="DataFormatException">The file is not a model zip that loads here; the message names it and gives
    /// ML.NET's reason.</exception>
    public static ITransformer LoadDigitsModel(this ModelOperationsCatalog catalog, string filePath, out DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentException.ThrowIfNullOrWhiteSpace(filePath);
        string path = Path.GetFullPath(filePath);
        if (!File.Exists(path))
            throw new FileNotFoundException($"No model file at '{path}'.", path);
        using var stream = File.OpenRead(path);
        return Load(catalog, stream, path, out inputSchema);
    }

    /// <summary>Loads a model zip from a seekable stream, read from its current position.</summary>
    /// <param name="catalog">The model catalog, <c>ml.Model</c>.</param>
    /// <param name="stream">The model zip; it must be seekable, so that a load can be tried again.</param>
    /// <param name="inputSchema">The schema of the data the model was saved with.</param>
    /// <returns>The loaded model.</returns>
    /// <exception cref="ArgumentException">The stream cannot seek.</exception>
    /// <exception cref="DataFormatException">The bytes are not a model zip that loads here.</exception>
    public static ITransformer LoadDigitsModel(this ModelOperationsCatalog catalog, Stream stream, out DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek)
            throw new ArgumentException("The model stream must be seekable (copy it to a MemoryStream first).", nameof(stream));
        return Load(catalog, stream, null, out inputSchema);
    }

    private static ITransformer Load(ModelOperationsCatalog catalog, Stream stream, string? path, out DataViewSchema inputSchema)
    {
        long start = stream.Position;
        try
        {
            (var model, inputSchema) = RetryOnOrtTempName(() =>
            {
                stream.Position = start;
                return (catalog.Load(stream, out var schema), schema);
            });
            return model;
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or InvalidOperationException or EndOfStreamException)
        {
            throw new DataFormatException(path, $"not an ML.NET model zip that loads here: {e.Message}");
        }
    }

    /// <summary>Runs <paramref name="load"/>, again when it failed on ML.NET's temporary ".ort" name, up to
    /// <see cref="Attempts"/> times in all; every other exception passes at once.</summary>
    internal static T RetryOnOrtTempName<T>(Func<T> load)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return load();
            }
            catch (Exception e) when (attempt < Attempts && IsOrtTempNameFailure(e))
            {
            }
        }
    }

    /// <summary>Whether <paramref name="e"/> (or an exception inside it) is ONNX Runtime refusing a file as an ORT-format
    /// model, which an ONNX graph only meets under a name ending in ".ort".</summary>
    internal static bool IsOrtTempNameFailure(Exception e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
            if (inner is OnnxRuntimeException && inner.Message.Contains("ORT model verification failed", StringComparison.Ordinal))
                return true;
        return false;
    }
}
