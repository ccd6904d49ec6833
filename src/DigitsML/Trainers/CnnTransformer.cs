// CnnTransformer.cs — what CnnTrainer.Fit returns: ML.NET's own transformers around the trained network's ONNX graph,
// with the training history, device and network summary beside them.
using System.Globalization;
using DigitsML.Engine;
using DigitsML.Networks;
using DigitsML.Onnx;
using DigitsML.Scoring;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DigitsML.Trainers;

/// <summary>A fitted CNN. It scores through ML.NET's <c>ApplyOnnxModel</c> (the network exported to ONNX), a small
/// arg-max mapping and ML.NET's key mapping, and it saves as those: <c>ml.Model.Save</c> writes them into the model zip,
/// and <c>ml.Model.Load</c> gives them back in any process, without TorchSharp or libtorch, scoring bit-identically. The
/// training figures stay here, on the object <c>Fit</c> returned (and in the ONNX graph's metadata, for reports).</summary>
public sealed class CnnTransformer : DigitsModel
{
    private CnnTransformer(ITransformer scorer, byte[] onnxModel, IReadOnlyList<string> classNames, string featureColumnName,
        IReadOnlyList<EpochProgress> history, Device device, NetworkSummary summary)
        : base(scorer, onnxModel, classNames, featureColumnName)
    {
        History = history;
        Device = device;
        Summary = summary;
    }

    /// <summary>Each epoch's figures, in order.</summary>
    public IReadOnlyList<EpochProgress> History { get; }

    /// <summary>Where the network was trained.</summary>
    public Device Device { get; }

    /// <summary>The network's layers, shapes and parameter counts.</summary>
    public NetworkSummary Summary { get; }

    internal static CnnTransformer Create(Network network, IReadOnlyList<EpochProgress> history, IDataView data, string featureColumnName,
        DataViewSchema.Column label)
    {
        var classNames = ClassNamesOf(label);
        var export = new OnnxExportOptions
        {
            InputName = featureColumnName,
            ClassNames = classNames,
            Metadata = TrainingMetadata.Entries([history], [network.Summary.ToString()]),
        };
        byte[] onnx = OnnxExport.ToBytes(network, export);
        var scorer = DigitsModelChain.Create(onnx, data, featureColumnName, label);
        return new CnnTransformer(scorer, onnx, classNames, featureColumnName, history, network.Device, network.Summary);
    }

    /// <summary>The label's key values as text ("0" … "9"), or "0" … "K−1" for a key without values.</summary>
    internal static IReadOnlyList<string> ClassNamesOf(DataViewSchema.Column label) => DigitsModelChain.ClassNames(label);
}
