// OnnxExport.cs — writes a trained network as an ONNX model that ONNX Runtime (and ML.NET's ApplyOnnxModel) scores
// as the network does: its layers' own nodes, its state as initializers, softmax on top. Ensembles: OnnxExport.Ensemble.cs.
using DigitsML.Engine;
using DigitsML.Networks;
using DigitsML.Onnx.Graph;
using Google.Protobuf;

namespace DigitsML.Onnx;

/// <summary>Exports a <see cref="Network"/> to ONNX (opset 17, IR version 8): input float (batch, C, H, W) named
/// <see cref="OnnxExportOptions.InputName"/>, output float (batch, classes) softmax probabilities named
/// <see cref="OnnxExportOptions.ScoreName"/>, with the batch size left symbolic ("batch"). Weights are initializers
/// named as PyTorch's state dict names them ("1.weight", "3.running_var"). Dropout is left out and BatchNorm uses its
/// running statistics, as in the network's evaluation mode. The same network gives the same bytes. With
/// <see cref="OnnxExportOptions.ClassNames"/> the class outputs carry ML.NET's slot names. Several networks export as one
/// voting graph through <see cref="EnsembleToBytes"/>.</summary>
public static partial class OnnxExport
{
    private const string Producer = "DigitsML";

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
        IO.AtomicFile.Write(path, model.WriteTo);
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
        AddSlotNames(graph, options);
        return WithMetadata(graph.ToModel(Producer, ProducerVersion, $"{definition.Name}: {network.Classes} classes from {inputShape} inputs"),
            options, featureMaps);
    }

    /// <summary>Adds <see cref="OnnxExportOptions.Metadata"/> (and the feature maps' place) to <paramref name="model"/>, in
    /// key order.</summary>
    private static ModelProto WithMetadata(ModelProto model, OnnxExportOptions options, FeatureMaps? featureMaps)
    {
        var metadata = new Dictionary<string, string>(options.Metadata ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        if (featureMaps is not null)
            metadata[FeatureMaps.Key] = featureMaps.ToJson();
        foreach (var (key, value) in metadata.OrderBy(p => p.Key, StringComparer.Ordinal))
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return model;
    }

    private static string ProducerVersion => typeof(OnnxExport).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

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
        featureMaps = FeatureMaps.Find(network.Summary, layerOutputs);
        if (graph.UnusedWeights.FirstOrDefault() is string unused)
            throw new InvalidOperationException(
                $"Exporting {definition.Name} to ONNX left its state tensor '{unused}' unread: that layer's ONNX nodes do not match its module.");
        return logits;
    }

    /// <summary>Writes <see cref="OnnxExportOptions.ClassNames"/>, if any, as ML.NET's slot names of every
    /// (batch, classes) output.</summary>
    private static void AddSlotNames(OnnxGraph graph, OnnxExportOptions options)
    {
        if (options.ClassNames is not { } names)
            return;
        foreach (string? output in new[] { options.ScoreName, options.LogitsName, options.VotesName })
            if (output is not null)
                graph.AddSlotNames(MlNetColumnName(output), names);
    }

    /// <summary>The column ML.NET's <c>ApplyOnnxModel</c> makes of the ONNX output <paramref name="output"/>, whose slot
    /// names it looks up under that column's name: OnnxTransform.cs drops ".output" (ML.NET's own exports end their
    /// outputs with it) by replacing it wherever it occurs, and so does this.</summary>
    private static string MlNetColumnName(string output) =>
        output.EndsWith(".output", StringComparison.Ordinal) ? output.Replace(".output", "", StringComparison.Ordinal) : output;
}
