// OnnxGraphs.cs — the ONNX graphs of saved DigitsML models, without the networks: copied out of a model zip, batched or
// one-row, combined into one voting graph (OnnxGraphs.Combine.cs, OnnxGraphs.PerRow.cs).
namespace DigitsML;

/// <summary>Works on serialized ONNX graphs (ModelProto bytes) as DigitsML's trainers write them (input <c>Features</c>,
/// output <c>Score</c> probabilities with the class names as ML.NET slot names), with no network and no libtorch: the
/// graph of a saved model zip as a file of its own (<see cref="SaveFromModelFile"/>), the batched form of a zip's one-row
/// graph (<see cref="ToBatched"/>), and several saved graphs voted as one (<see cref="Combine"/>). Writing a trained
/// network's graph is the training package's (<c>DigitsML.Onnx.OnnxExport</c>).</summary>
public static partial class OnnxGraphs
{
    /// <summary>Writes the graph inside the model zip <paramref name="modelPath"/> (from <c>ml.Model.Save</c>) to
    /// <paramref name="path"/> atomically, with its batch dimension put back (the zip holds the one-row form ML.NET
    /// scores with): input float (batch, C, H, W), output <c>Score</c> (batch, classes), for ONNX Runtime anywhere. Nothing
    /// is loaded into ML.NET.</summary>
    /// <param name="modelPath">The model zip.</param>
    /// <param name="path">The .onnx file to create or replace; its folder must exist.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    /// <exception cref="FileNotFoundException">The model file does not exist.</exception>
    /// <exception cref="DataFormatException">It is not a model zip holding one ONNX graph.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void SaveFromModelFile(string modelPath, string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        byte[] onnx = ToBatched(TrainingMetadata.ReadOnnxFromModelZip(modelPath));
        Scoring.AtomicFile.Write(path, stream => stream.Write(onnx));
    }
}
