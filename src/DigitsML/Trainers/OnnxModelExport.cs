// OnnxModelExport.cs — the ONNX graph of a fitted model (a CNN or a voting ensemble of CNNs), for ONNX Runtime anywhere.
using DigitsML.Engine;
using DigitsML.Onnx;

namespace DigitsML.Trainers;

/// <summary>Writes the network inside a fitted pipeline as one ONNX model (input <c>Features</c>, output <c>Score</c>
/// probabilities with the class names as ML.NET slot names): a single CNN as itself, a voting ensemble of CNNs as one
/// voting graph. What the pipeline does before the network (reading images, mapping labels) is not part of the graph.</summary>
public static class OnnxModelExport
{
    /// <summary>Writes <paramref name="model"/>'s network(s) to <paramref name="path"/> atomically.</summary>
    /// <exception cref="ArgumentException">The model holds no CNN, or an ensemble whose members are not each one CNN;
    /// the message says which.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void Save(ITransformer model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (TransformerChain.FindLast<VotingEnsembleTransformer>(model) is { } ensemble)
        {
            var members = ensemble.Members.Select((m, i) => TransformerChain.FindLast<CnnTransformer>(m) ??
                throw new ArgumentException($"Member {i + 1} of the ensemble is not a CNN (a nested ensemble?); only an ensemble of CNNs exports as one graph.", nameof(model)))
                .ToList();
            OnnxExport.SaveEnsemble([.. members.Select(m => m.Network)], ensemble.Voting, path,
                new OnnxExportOptions { ClassNames = members[0].ClassNames });
            return;
        }
        var cnn = TransformerChain.FindLast<CnnTransformer>(model) ?? throw new ArgumentException("The model holds no CNN to export.", nameof(model));
        OnnxExport.Save(cnn.Network, path, new OnnxExportOptions { ClassNames = cnn.ClassNames });
    }
}
