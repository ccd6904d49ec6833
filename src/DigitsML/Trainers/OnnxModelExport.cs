// OnnxModelExport.cs — the ONNX graph of a fitted model (a CNN or a voting ensemble), for ONNX Runtime anywhere. A saved
// model's graph is DigitsML.Scoring's to copy out (OnnxGraphs.SaveFromModelFile): that needs no libtorch.
using DigitsML.Scoring;
using Microsoft.ML;

namespace DigitsML.Trainers;

/// <summary>Writes the ONNX graph a DigitsML model scores with (input <c>Features</c>, output <c>Score</c> probabilities
/// with the class names as ML.NET slot names): a single CNN as itself, a voting ensemble as its one voting graph. What the
/// pipeline does around the network (reading images, mapping labels) is not part of the graph.</summary>
public static class OnnxModelExport
{
    /// <summary>Writes the graph of the DigitsML model in <paramref name="model"/> (a fitted model, or a chain holding
    /// one) to <paramref name="path"/> atomically.</summary>
    /// <exception cref="ArgumentException">The model holds no DigitsML model (a model loaded from a file: use
    /// <see cref="OnnxGraphs.SaveFromModelFile"/>).</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void Save(ITransformer model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var found = Find(model) ?? throw new ArgumentException(
            "The model holds no DigitsML CNN or ensemble. A model loaded with ml.Model.Load keeps only ML.NET's transformers: export it from its file.", nameof(model));
        AtomicFile.Write(path, stream => stream.Write(found.OnnxModel.Span));
    }

    /// <summary>The last DigitsML model in <paramref name="model"/>, looking inside chains.</summary>
    public static DigitsModel? Find(ITransformer model) => model switch
    {
        DigitsModel digits => digits,
        IEnumerable<ITransformer> chain => chain.Reverse().Select(Find).FirstOrDefault(m => m is not null),
        _ => null,
    };
}
