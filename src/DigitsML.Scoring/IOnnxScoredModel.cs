// IOnnxScoredModel.cs — a fitted model that scores through one ONNX graph it holds: how the report and the export find the
// graph inside a fitted pipeline without knowing the training package's types.
namespace DigitsML;

/// <summary>A fitted transformer that scores through one ONNX graph and holds it, batched. DigitsML's fitted CNNs and
/// voting ensembles (the training package's <c>DigitsModel</c>) are such models; <see cref="ModelReport"/> finds the graph
/// of the last one in a fitted pipeline through this. A model loaded with <c>ml.Model.Load</c> holds only ML.NET's
/// transformers: read its graph from its file (<see cref="TrainingMetadata.ReadOnnxFromModelZip"/>).</summary>
public interface IOnnxScoredModel
{
    /// <summary>The ONNX graph (serialized ModelProto): features (batch, C, H, W) in, <c>Score</c> probabilities
    /// (batch, K) out, with the training metadata DigitsML's trainers write.</summary>
    ReadOnlyMemory<byte> OnnxModel { get; }
}
