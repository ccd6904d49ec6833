// DigitsModelCatalog.cs — ml.Model.LoadDigitsModel: ml.Model.Load for an untrusted model zip: sizes and the ONNX graph
// checked before ML.NET reads them, a private temporary folder, a warm-up prediction, every refusal one DataFormatException.
using System.Reflection;
using DigitsML.Models;
using Microsoft.ML;
using Microsoft.ML.OnnxRuntime;

namespace DigitsML;

/// <summary>Loading saved models, reached from <c>ml.Model</c> of a <see cref="MLContext"/>.</summary>
/// <remarks>
/// <c>ml.Model.Load</c> loads every DigitsML model zip, but trusts it: ML.NET allocates whatever sizes the zip declares,
/// writes the ONNX graph world-readable into the shared temporary folder (and leaves it there when a load fails), and ONNX
/// Runtime reads a graph's external data from that folder. These methods load a zip as untrusted input:
/// <list type="number">
/// <item>The zip is read first with System.IO.Compression: at most 4,096 entries, 256 MiB per entry and 512 MiB in all
/// (the file too), no entry expanding more than 100-fold once past 1 MiB, every entry's bytes matching its declared
/// length and CRC-32, no name twice, and each <c>OnnxModel</c> entry's length prefix equal to the graph that follows.</item>
/// <item>Each ONNX graph is read at the protobuf level before ONNX Runtime sees it: no tensor with external data (a
/// file path) anywhere in the model, every tensor's data matching its declared shape and type, none declaring more
/// than 256 MiB, graph inputs and outputs of at most 2<sup>24</sup> elements, subgraphs at most 16 deep.</item>
/// <item>ML.NET loads the zip in an <see cref="MLContext"/> of its own whose <see cref="MLContext.TempFilePath"/> is a
/// new folder only this user can open. A failed load deletes the folder and all ML.NET wrote there at once; a loaded
/// model keeps it, holding ML.NET's copy of its graph, so that the model can be saved again (alone or inside a pipeline,
/// as <c>ReadNumber</c> saves its reader): disposing the model deletes the copy, and the folder goes when the model is
/// garbage-collected or the process exits. The model is loaded for the CPU, and its log is not the catalog's context's.</item>
/// <item>When the model reads a 784-element Single vector (28 × 28) and writes a <c>Score</c> vector, it is run once on a
/// blank image: a DigitsML graph's <c>Score</c> must be a probability distribution, and any model's
/// <c>PredictedLabel</c> must be the arg-max of its <c>Score</c>. Other models (for example an ML.NET model over other
/// features) load without this prediction.</item>
/// <item>ML.NET's temporary graph file has a random 8.3 name, and ONNX Runtime reads a name ending in ".ort" as its own
/// ORT format: one load in 32<sup>3</sup> = 32,768 fails with "ORT model verification failed"
/// (dotnet/machinelearning#7339). Such a load is tried again, up to <see cref="Attempts"/> times in all.</item>
/// </list>
/// Every refusal is a <see cref="DataFormatException"/> naming the file and the cause, with ML.NET's own exception inside
/// when it was ML.NET that failed. What a graph computes at run time is not bounded beyond that one prediction.</remarks>
public static partial class DigitsModelCatalog
{
    /// <summary>How many times a load is tried when it fails on ML.NET's temporary ".ort" name: the chance that all of
    /// them do is 32,768<sup>−3</sup>.</summary>
    public const int Attempts = 3;

    /// <summary>Loads a model zip saved by <c>ml.Model.Save</c> (a DigitsML model or any ML.NET pipeline), checked as
    /// untrusted input (see the remarks on <see cref="DigitsModelCatalog"/>).</summary>
    /// <param name="catalog">The model catalog, <c>ml.Model</c>.</param>
    /// <param name="filePath">The model zip.</param>
    /// <param name="inputSchema">The schema of the data the model was saved with.</param>
    /// <returns>The loaded model; dispose it (when it is <see cref="IDisposable"/>) to free its ONNX session.</returns>
    /// <exception cref="ArgumentException"><paramref name="filePath"/> is null, empty or white space.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="DataFormatException">The file is not a model zip that loads here, or breaks a bound or check;
    /// the message names the file and the cause.</exception>
    /// <exception cref="IOException">The file or the temporary folder cannot be read or written.</exception>
    public static ITransformer LoadDigitsModel(this ModelOperationsCatalog catalog, string filePath, out DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentException.ThrowIfNullOrWhiteSpace(filePath);
        string path = Path.GetFullPath(filePath);
        if (!File.Exists(path))
            throw new FileNotFoundException($"No model file at '{path}'.", path);
        using var stream = File.OpenRead(path);
        return Load(stream, path, out inputSchema);
    }

    /// <summary>The digit classifier shipped in this package (<see cref="PretrainedModels"/>): a soft-voting ensemble of
    /// QuickNets as one ONNX graph, taking <c>Features</c> (28 × 28) like a model of <c>digits train</c>.</summary>
    /// <param name="catalog">The model catalog, <c>ml.Model</c>.</param>
    /// <returns>The loaded model; dispose it (when it is <see cref="IDisposable"/>) to free its ONNX session.</returns>
    /// <exception cref="DataFormatException">The embedded model does not match its manifest.</exception>
    public static ITransformer LoadPretrainedDigits(this ModelOperationsCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        using var stream = PretrainedModels.Open(PretrainedModels.Digits);
        return Load(stream, null, out _);
    }

    /// <summary>The line reader shipped in this package (<see cref="PretrainedModels"/>): give it to
    /// <see cref="NumberReader"/> or <c>ml.Transforms.ReadNumber</c> to read whole numbers.</summary>
    /// <param name="catalog">The model catalog, <c>ml.Model</c>.</param>
    /// <returns>The loaded model; dispose it (when it is <see cref="IDisposable"/>) to free its ONNX session.</returns>
    /// <exception cref="DataFormatException">The embedded model does not match its manifest.</exception>
    public static ITransformer LoadPretrainedReader(this ModelOperationsCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        using var stream = PretrainedModels.Open(PretrainedModels.Reader);
        return Load(stream, null, out _);
    }

    /// <summary>Loads a model zip from a seekable stream, read from its current position, checked as untrusted input.</summary>
    /// <param name="catalog">The model catalog, <c>ml.Model</c>.</param>
    /// <param name="stream">The model zip; it must be seekable, so that it can be checked before it is loaded.</param>
    /// <param name="inputSchema">The schema of the data the model was saved with.</param>
    /// <returns>The loaded model.</returns>
    /// <exception cref="ArgumentException">The stream cannot seek.</exception>
    /// <exception cref="DataFormatException">The bytes are not a model zip that loads here, or break a bound or check.</exception>
    /// <exception cref="IOException">The stream or the temporary folder cannot be read or written.</exception>
    public static ITransformer LoadDigitsModel(this ModelOperationsCatalog catalog, Stream stream, out DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek)
            throw new ArgumentException("The model stream must be seekable (copy it to a MemoryStream first).", nameof(stream));
        return Load(stream, null, out inputSchema);
    }

    private static ITransformer Load(Stream stream, string? path, out DataViewSchema inputSchema)
    {
        long start = stream.Position;
        bool digitsGraph = ModelZipCheck.Check(stream, path).Any(g => g.Producer == "DigitsML");
        var folder = PrivateTempFolder.Create();
        var ml = new MLContext { TempFilePath = folder.Path };
        ITransformer model;
        DataViewSchema schema;
        try
        {
            (model, schema) = RetryOnOrtTempName(() =>
            {
                stream.Position = start;
                return (ml.Model.Load(stream, out var loaded), loaded);
            });
        }
        catch (Exception e) when (IsDecodeFailure(e))
        {
            folder.Dispose();
            throw new DataFormatException(path, $"not an ML.NET model zip that loads here: {Reason(e)}", e);
        }
        catch
        {
            folder.Dispose();
            throw;
        }
        try
        {
            WarmUpCheck.Check(model, schema, digitsGraph, path);
        }
        catch
        {
            (model as IDisposable)?.Dispose();
            folder.Dispose();
            throw;
        }
        // The folder lives as long as the model: ML.NET reads its graph copy again when the model is saved.
        folder.KeepWith(model);
        inputSchema = schema;
        return model;
    }

    /// <summary>Whether <paramref name="e"/>, thrown while ML.NET read or ran a model, is the model's fault: anything but
    /// cancellation and input/output failures of the machine (a disk error, a full or forbidden temporary folder). ML.NET
    /// trusts model files and fails on a broken one with whatever its code meets (InvalidOperationException,
    /// FormatException, ArgumentOutOfRangeException, NullReferenceException, TargetInvocationException around any of them,
    /// OutOfMemoryException when a size in the file asks for an array larger than memory, and FileLoadException or
    /// FileNotFoundException when the loader assembly a Model.key names is not a valid or known assembly name).</summary>
    internal static bool IsDecodeFailure(Exception e) => e switch
    {
        OperationCanceledException or UnauthorizedAccessException => false,
        EndOfStreamException or FileLoadException or FileNotFoundException => true,
        IOException => false,
        _ => true,
    };

    /// <summary>What went wrong, on one line: the outermost message (ML.NET's, such as "Error during class instantiation")
    /// and the innermost one (the cause, such as ONNX Runtime's), reflection's wrappers left out, at most 600 characters.</summary>
    internal static string Reason(Exception e)
    {
        while (e is TargetInvocationException { InnerException: { } unwrapped })
            e = unwrapped;
        var inner = e;
        while (inner.InnerException is { } next)
            inner = next;
        string text = ReferenceEquals(inner, e) || e.Message.Contains(inner.Message, StringComparison.Ordinal)
            ? e.Message
            : $"{e.Message}: {inner.Message}";
        text = text.ReplaceLineEndings(" ");
        return text.Length <= 600 ? text : text[..600] + "…";
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
