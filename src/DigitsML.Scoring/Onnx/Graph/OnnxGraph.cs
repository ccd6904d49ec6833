// OnnxGraph.cs — builds one ONNX graph: nodes with unique value names, weights served by state name as
// initializers, ML.NET's slot-name nodes, and the model around it. Below the networks: each layer kind of the training
// assembly adds its own nodes through it, and the votes of saved models are built with it here.
using System.ComponentModel;
using System.Globalization;
using System.Runtime.InteropServices;
using Google.Protobuf;

namespace DigitsML.Onnx.Graph;

/// <summary>Collects the nodes, initializers, inputs and outputs of one ONNX graph (opset <see cref="Opset"/>), then
/// gives the <see cref="ModelProto"/>. Layers ask for their weights by state name ("3.body.0.weight") through
/// <see cref="Weight"/>; the exporter says where those come from with <see cref="UseWeights"/>. Not thread-safe.
/// Public for DigitsML's training assembly, whose layers write their nodes into it; not meant for applications.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class OnnxGraph
{
    /// <summary>The ONNX operator set the nodes are written for; ONNX Runtime 1.31 supports it fully.</summary>
    public const long Opset = 17;

    /// <summary>The IR version that goes with opset 17 (ONNX 1.12).</summary>
    public const long IrVersion = 8;

    /// <summary>The name of the leading, symbolic dimension of every input and output.</summary>
    public const string BatchDimension = "batch";

    /// <summary>The ONNX-ML operator domain (LabelEncoder), imported only when a node of it is added.</summary>
    public const string MlDomain = "ai.onnx.ml";

    /// <summary>The ONNX-ML opset imported with <see cref="MlDomain"/>: version 2 has LabelEncoder's keys_strings and
    /// values_int64s, and is what ML.NET's own ONNX export imports.</summary>
    public const long MlOpset = 2;

    private readonly GraphProto graph;
    private readonly HashSet<string> taken = new(StringComparer.Ordinal);
    private readonly HashSet<string> reserved = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> constants = new(StringComparer.Ordinal);
    private IReadOnlyDictionary<string, (int[] Shape, float[] Data)> weights = new Dictionary<string, (int[], float[])>();
    private readonly HashSet<string> usedWeights = new(StringComparer.Ordinal);
    private string weightPrefix = "";
    private bool usesMlDomain;

    /// <summary>An empty graph called <paramref name="name"/>.</summary>
    public OnnxGraph(string name) => graph = new GraphProto { Name = name };

    /// <summary>Declares the float graph input <paramref name="name"/> of shape (batch, <paramref name="exampleShape"/>)
    /// and returns its value name.</summary>
    /// <exception cref="ArgumentException">The name is already used.</exception>
    public string AddInput(string name, IReadOnlyList<long> exampleShape) => AddInput(name, exampleShape, symbolic: null);

    /// <summary>Declares the float graph input <paramref name="name"/> of shape (batch, <paramref name="exampleShape"/>),
    /// where each dimension that <paramref name="symbolic"/> names is left free under that name (a strip's "width"), and
    /// returns its value name.</summary>
    /// <exception cref="ArgumentException">The name is already used.</exception>
    public string AddInput(string name, IReadOnlyList<long> exampleShape, IReadOnlyList<string?>? symbolic)
    {
        Claim(name);
        graph.Input.Add(FloatValue(name, exampleShape, symbolic));
        return name;
    }

    /// <summary>Keeps <paramref name="name"/> for an output added later by <c>AddOutput</c>, so no node takes it.</summary>
    /// <exception cref="ArgumentException">The name is already used.</exception>
    public void Reserve(string name)
    {
        Claim(name);
        reserved.Add(name);
    }

    /// <summary>Adds the node that computes the float graph output <paramref name="name"/> (reserved before) of shape
    /// (batch, <paramref name="exampleShape"/>) and declares it.</summary>
    public void AddOutput(string name, IReadOnlyList<long> exampleShape, string opType, IReadOnlyList<string> inputs,
        params AttributeProto[] attributes) => AddOutput(name, exampleShape, opType, inputs, null, attributes);

    /// <summary>As <see cref="AddOutput(string, IReadOnlyList{long}, string, IReadOnlyList{string}, AttributeProto[])"/>,
    /// each dimension that <paramref name="symbolic"/> names left free under that name.</summary>
    public void AddOutput(string name, IReadOnlyList<long> exampleShape, string opType, IReadOnlyList<string> inputs,
        IReadOnlyList<string?>? symbolic, params AttributeProto[] attributes)
    {
        if (!reserved.Remove(name))
            throw new InvalidOperationException($"The output '{name}' was not reserved, or is given twice.");
        graph.Node.Add(NewNode(opType, inputs, name, attributes));
        graph.Output.Add(FloatValue(name, exampleShape, symbolic));
    }

    /// <summary>Adds an <paramref name="opType"/> node of the default ONNX domain and returns the name of its one
    /// output: the prefix given to <see cref="UseWeights"/>, <paramref name="hint"/> and the operator
    /// ("3.body.0.Conv", "member1.3.body.0.Conv"), made unique.</summary>
    public string Node(string opType, IReadOnlyList<string> inputs, string hint, params AttributeProto[] attributes)
    {
        string output = Unique(weightPrefix + hint + opType);
        graph.Node.Add(NewNode(opType, inputs, output, attributes));
        return output;
    }

    /// <summary>Makes <paramref name="weights"/> the tensors <see cref="Weight"/> serves, their initializers named with
    /// <paramref name="prefix"/> in front of the state name (empty for one network; a member prefix in an ensemble, such as
    /// "member1."), and the nodes added from now on named with it too.</summary>
    public void UseWeights(IReadOnlyDictionary<string, (int[] Shape, float[] Data)> weights, string prefix = "")
    {
        this.weights = weights;
        weightPrefix = prefix;
        usedWeights.Clear();
    }

    /// <summary>The state tensors given to <see cref="UseWeights"/> that no layer asked for: a layer exporting fewer
    /// weights than its module holds would score differently, so the exporter refuses such a graph.</summary>
    public IEnumerable<string> UnusedWeights => weights.Keys.Where(name => !usedWeights.Contains(name));

    /// <summary>The initializer holding the state tensor <paramref name="stateName"/>, added on first use.</summary>
    /// <exception cref="InvalidOperationException">The state has no such tensor.</exception>
    public string Weight(string stateName)
    {
        if (!weights.TryGetValue(stateName, out var tensor))
            throw new InvalidOperationException(
                $"The network's state has no tensor '{stateName}' (it has {string.Join(", ", weights.Keys.Take(8))}{(weights.Count > 8 ? ", ..." : "")}).");
        string name = weightPrefix + stateName;
        if (usedWeights.Add(stateName))
        {
            Claim(name);
            graph.Initializer.Add(FloatTensor(name, tensor.Shape, tensor.Data));
        }
        return name;
    }

    /// <summary>A float scalar initializer holding <paramref name="value"/>, named from the prefix given to
    /// <see cref="UseWeights"/> and <paramref name="hint"/>; equal values share one.</summary>
    public string Scalar(string hint, float value)
    {
        string key = BitConverter.SingleToInt32Bits(value).ToString(CultureInfo.InvariantCulture);
        if (constants.TryGetValue(key, out string? existing))
            return existing;
        string name = Unique(weightPrefix + hint);
        graph.Initializer.Add(FloatTensor(name, [], [value]));
        constants.Add(key, name);
        return name;
    }

    /// <summary>A rank-1 INT64 initializer holding <paramref name="values"/> (axes, depths), named from the prefix given
    /// to <see cref="UseWeights"/> and <paramref name="hint"/>.</summary>
    public string Int64s(string hint, params long[] values)
    {
        RequireLittleEndian();
        string name = Unique(weightPrefix + hint);
        var tensor = new TensorProto
        {
            Name = name,
            DataType = (int)TensorProto.Types.DataType.Int64,
            RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan())),
        };
        tensor.Dims.Add(values.Length);
        graph.Initializer.Add(tensor);
        return name;
    }

    /// <summary>A rank-1 float initializer holding <paramref name="values"/>, named as <see cref="Int64s"/> names.</summary>
    public string Floats(string hint, params float[] values)
    {
        string name = Unique(weightPrefix + hint);
        graph.Initializer.Add(FloatTensor(name, [values.Length], values));
        return name;
    }

    /// <summary>Gives the output column <paramref name="columnName"/> the slot names <paramref name="names"/> as ML.NET
    /// reads them: ML.NET's OnnxTransformer (<c>AddSlotNames</c> in OnnxTransform.cs) looks for a node named
    /// <c>mlnet.{column}.SlotNames</c> and takes its <c>keys_strings</c> attribute, the column being the ONNX output's name
    /// without a trailing ".output". The node is the one ML.NET's own ONNX export writes: an ai.onnx.ml LabelEncoder
    /// mapping each name to its index, fed a one-string initializer. Here nothing reads its output and it is no graph
    /// output, so ONNX Runtime loads and ignores it and ML.NET adds no column for it.</summary>
    /// <exception cref="ArgumentException">A value name it needs is already used.</exception>
    public void AddSlotNames(string columnName, IReadOnlyList<string> names)
    {
        string input = $"mlnet.{columnName}.unusedInput";
        string output = $"mlnet.{columnName}.unusedOutput";
        Claim(input);
        Claim(output);
        var one = new TensorProto { Name = input, DataType = (int)TensorProto.Types.DataType.String };
        one.Dims.AddRange([1L, 1L]);
        one.StringData.Add(ByteString.CopyFromUtf8("one"));
        graph.Initializer.Add(one);

        var node = new NodeProto { Name = $"mlnet.{columnName}.SlotNames", OpType = "LabelEncoder", Domain = MlDomain };
        node.Input.Add(input);
        node.Output.Add(output);
        var keys = new AttributeProto { Name = "keys_strings", Type = AttributeProto.Types.AttributeType.Strings };
        keys.Strings.AddRange(names.Select(ByteString.CopyFromUtf8));
        node.Attribute.Add(keys);
        node.Attribute.Add(Ints("values_int64s", [.. Enumerable.Range(0, names.Count).Select(i => (long)i)]));
        graph.Node.Add(node);
        usesMlDomain = true;
    }

    /// <summary>An INT attribute.</summary>
    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    /// <summary>An INTS attribute.</summary>
    public static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    /// <summary>A FLOAT attribute.</summary>
    public static AttributeProto Float(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    /// <summary>The kernel_shape, pads and strides attributes of a square 2-D window (Conv, MaxPool, AveragePool),
    /// padded alike on every side.</summary>
    public static AttributeProto[] Window2d(int kernel, int stride, int padding) =>
        [Ints("kernel_shape", kernel, kernel), Ints("pads", padding, padding, padding, padding), Ints("strides", stride, stride)];

    /// <summary>The model holding this graph, for opset <see cref="Opset"/>.</summary>
    /// <exception cref="InvalidOperationException">A reserved output was never added.</exception>
    public ModelProto ToModel(string producerName, string producerVersion, string docString)
    {
        if (reserved.Count > 0)
            throw new InvalidOperationException($"The output '{reserved.First()}' was reserved but never added.");
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = producerName,
            ProducerVersion = producerVersion,
            DocString = docString,
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        if (usesMlDomain)
            model.OpsetImport.Add(new OperatorSetIdProto { Domain = MlDomain, Version = MlOpset });
        return model;
    }

    private static NodeProto NewNode(string opType, IReadOnlyList<string> inputs, string output, AttributeProto[] attributes)
    {
        var node = new NodeProto { Name = output, OpType = opType };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        return node;
    }

    private static TensorProto FloatTensor(string name, int[] shape, float[] data)
    {
        RequireLittleEndian();
        var tensor = new TensorProto
        {
            Name = name,
            DataType = (int)TensorProto.Types.DataType.Float,
            RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(data.AsSpan())),
        };
        tensor.Dims.AddRange(shape.Select(d => (long)d));
        return tensor;
    }

    // ONNX stores raw data little-endian; the bytes are copied as they lie in memory.
    private static void RequireLittleEndian()
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("Writing ONNX weights needs a little-endian machine.");
    }

    private static ValueInfoProto FloatValue(string name, IReadOnlyList<long> exampleShape, IReadOnlyList<string?>? symbolic = null)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = BatchDimension });
        shape.Dim.AddRange(exampleShape.Select((d, i) => symbolic?.ElementAtOrDefault(i) is string free
            ? new TensorShapeProto.Types.Dimension { DimParam = free }
            : new TensorShapeProto.Types.Dimension { DimValue = d }));
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }

    private void Claim(string name)
    {
        if (string.IsNullOrEmpty(name))
            throw new ArgumentException("An ONNX value name must not be empty.", nameof(name));
        if (!taken.Add(name))
            throw new ArgumentException($"The ONNX value name '{name}' is used twice.", nameof(name));
    }

    private string Unique(string hint)
    {
        string name = hint;
        for (int i = 1; !taken.Add(name); i++)
            name = string.Create(CultureInfo.InvariantCulture, $"{hint}_{i}");
        return name;
    }
}
