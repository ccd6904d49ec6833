// OnnxGraphs.PerRow.cs — the graph for one row (what ML.NET's ApplyOnnxModel feeds) and back to a batched graph.
using DigitsML.Onnx.Graph;
using Google.Protobuf;

namespace DigitsML;

public static partial class OnnxGraphs
{
    private const string AxisZero = "digitsml.axis0", Batched = ".batched";

    /// <summary>The batched form of a serialized one-row model (as a saved DigitsML model zip holds it): the Unsqueeze and Squeeze around the graph removed and the batch dimension "batch"
    /// put back, for ONNX Runtime anywhere. A model that is batched already is returned as it is.</summary>
    /// <exception cref="DataFormatException">The bytes are not an ONNX model.</exception>
    public static byte[] ToBatched(ReadOnlySpan<byte> onnxModel)
    {
        ModelProto model = Parse(onnxModel);
        GraphProto graph = model.Graph;
        if (!graph.Initializer.Any(t => t.Name == AxisZero))
            return onnxModel.ToArray();
        var ends = graph.Input.Concat(graph.Output).Select(v => v.Name).ToHashSet(StringComparer.Ordinal);
        var wrappers = graph.Node.Where(n => n.OpType is "Unsqueeze" or "Squeeze" && n.Input.Contains(AxisZero)).ToList();
        foreach (var wrapper in wrappers)
            graph.Node.Remove(wrapper);
        foreach (var node in graph.Node)
        {
            for (int i = 0; i < node.Input.Count; i++)
                if (Unbatched(node.Input[i], ends) is { } name)
                    node.Input[i] = name;
            for (int i = 0; i < node.Output.Count; i++)
                if (Unbatched(node.Output[i], ends) is { } name)
                    node.Output[i] = name;
        }
        graph.Initializer.Remove(graph.Initializer.First(t => t.Name == AxisZero));
        foreach (var value in graph.Input.Concat(graph.Output))
            value.Type.TensorType.Shape.Dim.Insert(0, new TensorShapeProto.Types.Dimension { DimParam = OnnxGraph.BatchDimension });
        return model.ToByteArray();
    }

    /// <summary>The one-row form of a batched serialized model (what <see cref="Scoring.DigitsModelChain.Create"/> scores):
    /// input (C, H, W), outputs (K), the batched graph between an Unsqueeze and a Squeeze. That is how ML.NET's <c>ApplyOnnxModel</c> feeds a row, and it then types <c>Score</c>
    /// as <c>Vector&lt;Single, K&gt;</c> (with a symbolic batch dimension it reads the batch as 1 and gives
    /// <c>Vector&lt;Single, 1, K&gt;</c>). <see cref="ToBatched"/> undoes it.</summary>
    /// <exception cref="DataFormatException">The bytes are not an ONNX model.</exception>
    internal static byte[] ToPerRow(ReadOnlySpan<byte> onnxModel)
    {
        ModelProto model = Parse(onnxModel);
        RemoveBatchDimension(model.Graph);
        return model.ToByteArray();
    }

    private static ModelProto Parse(ReadOnlySpan<byte> onnxModel)
    {
        try
        {
            return ModelProto.Parser.ParseFrom(onnxModel);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new DataFormatException(null, $"Not an ONNX model: {e.Message}");
        }
    }

    private static string? Unbatched(string name, HashSet<string> ends) =>
        name.EndsWith(Batched, StringComparison.Ordinal) && ends.Contains(name[..^Batched.Length]) ? name[..^Batched.Length] : null;

    /// <summary>Wraps the batched graph for one row: input (C, H, W) → Unsqueeze → (1, C, H, W) → the graph → (1, K) →
    /// Squeeze → output (K). Every use of an input and every production of an output is renamed to its batched value.</summary>
    private static void RemoveBatchDimension(GraphProto graph)
    {
        var axis = new TensorProto { Name = AxisZero, DataType = (int)TensorProto.Types.DataType.Int64, RawData = ByteString.CopyFrom(new byte[sizeof(long)]) };
        axis.Dims.Add(1);  // the int64 0, little-endian
        graph.Initializer.Add(axis);
        var renamed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var value in graph.Input.Concat(graph.Output))
        {
            renamed[value.Name] = value.Name + Batched;
            value.Type.TensorType.Shape.Dim.RemoveAt(0);
        }
        foreach (var node in graph.Node)
        {
            for (int i = 0; i < node.Input.Count; i++)
                if (renamed.TryGetValue(node.Input[i], out var name))
                    node.Input[i] = name;
            for (int i = 0; i < node.Output.Count; i++)
                if (renamed.TryGetValue(node.Output[i], out var name))
                    node.Output[i] = name;
        }
        foreach (var input in graph.Input)
            graph.Node.Insert(0, NewNode("Unsqueeze", [input.Name, AxisZero], renamed[input.Name]));
        foreach (var output in graph.Output)
            graph.Node.Add(NewNode("Squeeze", [renamed[output.Name], AxisZero], output.Name));
    }

    private static NodeProto NewNode(string opType, IEnumerable<string> inputs, string output)
    {
        var node = new NodeProto { Name = output + "." + opType, OpType = opType };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        return node;
    }
}
