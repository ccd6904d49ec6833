// OnnxExport.cs — writes a trained network as an ONNX model that ONNX Runtime (and ML.NET's ApplyOnnxModel) scores
// as the network does: its layers' own nodes, its state as initializers, softmax on top. Ensembles: OnnxExport.Ensemble.cs.
// The graph builder, the vote and the saved-graph operations are DigitsML.Scoring's (OnnxGraph, OnnxVote, OnnxGraphs).
using DigitsML.Engine;
using DigitsML.Networks;
using DigitsML.Onnx.Graph;
using DigitsML.Scoring;
using Google.Protobuf;

namespace DigitsML.Onnx;

/// <summary>Exports a <see cref="Network"/> to ONNX (opset 17, IR version 8): input float (batch, C, H, W) named
/// <see cref="OnnxExportOptions.InputName"/>, output float (batch, classes) softmax probabilities named
/// <see cref="OnnxExportOptions.ScoreName"/>, with the batch size left symbolic ("batch"). Weights are initializers
/// named as PyTorch's state dict names them ("1.weight", "3.running_var"). Dropout is left out and BatchNorm uses its
/// running statistics, as in the network's evaluation mode. The same network gives the same bytes. With
/// <see cref="OnnxExportOptions.ClassNames"/> the class outputs carry ML.NET's slot names. Several networks export as one
/// voting graph through <see cref="EnsembleToBytes"/>; graphs of saved models are combined by
/// <see cref="OnnxGraphs.Combine"/>, without the networks.</summary>
public static partial class OnnxExport
{
    /// <summary>The ONNX model of <paramref name="network"/>'s current weights.</summary>
    /// <param name="network">The network; it is only read.</param>
    /// <param name="options">Input and output names; default <see cref="OnnxExportOptions"/>'s defaults.</param>
    /// <returns>The serialized ModelProto.</returns>
    /// <exception cref="ArgumentException">An option names an input or output badly, sets
    /// <see cref="OnnxExportOptions.VotesName"/> (ensembles only), or gives a number of class names other than the
    /// network's classes; the message names the option.</exception>
    /// <exception cref="ObjectDisposedException">The network has been disposed.</exception>
    /// <exception cref="InvalidNetworkException">A layer kind cannot be exported; the message names it.</exception>
    internal static byte[] ToBytes(Network network, OnnxExportOptions? options = null) => ToModel(network, options).ToByteArray();

    /// <summary>Writes <paramref name="network"/>'s ONNX model to <paramref name="path"/> atomically: a temporary file
    /// beside it is written, flushed to disk and renamed over the target, so a reader or a crash never sees half a
    /// model and an existing file stays intact until the new one is complete.</summary>
    /// <param name="network">The network; it is only read.</param>
    /// <param name="path">The .onnx file to create or replace; its folder must exist.</param>
    /// <param name="options">Input and output names; default <see cref="OnnxExportOptions"/>'s defaults.</param>
    /// <exception cref="ArgumentException">The path is empty, or an option is wrong as for <see cref="ToBytes"/>.</exception>
    /// <exception cref="ObjectDisposedException">The network has been disposed.</exception>
    /// <exception cref="InvalidNetworkException">A layer kind cannot be exported; the message names it.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    internal static void Save(Network network, string path, OnnxExportOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ModelProto model = ToModel(network, options);
        AtomicFile.Write(path, model.WriteTo);
    }

    private static ModelProto ToModel(Network network, OnnxExportOptions? options)
    {
        ArgumentNullException.ThrowIfNull(network);
        options ??= new OnnxExportOptions();
        options.Validate();
        if (options.VotesName is not null)
            throw new ArgumentException(
                $"{nameof(OnnxExportOptions.VotesName)} is for ensembles; one network has no votes (leave it null).",
                nameof(OnnxExportOptions.VotesName));
        options.ValidateClassCount(network.Classes);
        IReadOnlyList<NamedTensor> state = network.GetState();  // throws ObjectDisposedException first
        NetworkDefinition definition = network.Definition;
        TensorShape inputShape = definition.InputShape;
        long[] classes = [network.Classes];

        var graph = new OnnxGraph(definition.Name);
        string input = AddInput(graph, options, inputShape);
        string logits = ExportMember(graph, network, state, input, "", out var featureMaps);

        graph.AddOutput(options.ScoreName, classes, "Softmax", [logits], OnnxGraph.Int("axis", 1));
        if (options.LogitsName is not null)
            graph.AddOutput(options.LogitsName, classes, "Identity", [logits]);
        OnnxOutputs.AddSlotNames(graph, options);
        return OnnxOutputs.WithMetadata(graph.ToModel(OnnxOutputs.Producer, OnnxOutputs.ProducerVersion,
            $"{definition.Name}: {network.Classes} classes from {inputShape} inputs"), options, featureMaps);
    }

    /// <summary>Declares the input and reserves every output the options ask for, so no node takes their names.</summary>
    private static string AddInput(OnnxGraph graph, OnnxExportOptions options, TensorShape inputShape)
    {
        string input = graph.AddInput(options.InputName,
            inputShape.Rank == 1 ? [inputShape.Channels] : [inputShape.Channels, inputShape.Height, inputShape.Width]);
        foreach (string? output in new[] { options.ScoreName, options.LogitsName, options.VotesName })
            if (output is not null)
                graph.Reserve(output);
        return input;
    }

    /// <summary>Adds <paramref name="network"/>'s nodes on <paramref name="input"/>, its weights named
    /// <paramref name="prefix"/> + state name, and returns its logits (batch, classes).</summary>
    /// <exception cref="InvalidOperationException">A state tensor was left unread: the exported graph would score
    /// differently from the network.</exception>
    private static string ExportMember(OnnxGraph graph, Network network, IReadOnlyList<NamedTensor> state, string input, string prefix,
        out FeatureMaps? featureMaps)
    {
        NetworkDefinition definition = network.Definition;
        graph.UseWeights(state.ToDictionary(t => t.Name, t => (t.Shape, t.Data), StringComparer.Ordinal), prefix);
        var layerOutputs = new List<string>();
        string logits = Layer.ExportOnnxChain(definition.Layers, graph, input, definition.InputShape, "", layerOutputs);
        featureMaps = FindFeatureMaps(network.Summary, layerOutputs);
        if (graph.UnusedWeights.FirstOrDefault() is string unused)
            throw new InvalidOperationException(
                $"Exporting {definition.Name} to ONNX left its state tensor '{unused}' unread: that layer's ONNX nodes do not match its module.");
        return logits;
    }

    /// <summary>The first convolution block of <paramref name="summary"/> (the <see cref="Conv2d"/> and the BatchNorm and
    /// activation that directly follow it), where <paramref name="layerOutputs"/> holds each layer's ONNX value; null when
    /// the network has no convolution.</summary>
    private static FeatureMaps? FindFeatureMaps(NetworkSummary summary, IReadOnlyList<string> layerOutputs)
    {
        var layers = summary.Layers;
        int first = layers.ToList().FindIndex(l => l.Layer is Conv2d);
        if (first < 0)
            return null;
        int last = first;
        while (last + 1 < layers.Count && layers[last + 1].Layer is BatchNorm2d or ReLU or LeakyReLU or Sigmoid or Tanh)
            last++;
        var shape = layers[last].OutputShape;
        return new FeatureMaps(layerOutputs[last], layers[last].Layer.ToString()!, last, shape.Channels, shape.Height, shape.Width);
    }
}
