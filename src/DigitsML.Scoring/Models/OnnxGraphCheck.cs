// OnnxGraphCheck.cs — reads an ONNX model's protobuf wire format before ONNX Runtime does, and refuses external data,
// tensors whose declared shape disagrees with their data or passes the bounds, and absurd nesting.
using System.Text;
using Google.Protobuf;

namespace DigitsML.Models;

/// <summary>Checks a serialized ONNX <c>ModelProto</c> before ONNX Runtime loads it. Every tensor the model can carry is
/// visited: the graph's initializers and sparse initializers, tensors in node attributes (<c>Constant</c> among them),
/// subgraphs (<c>If</c>, <c>Loop</c>, <c>Scan</c> bodies), functions and training graphs. Refused: a tensor with
/// <c>external_data</c> or a <c>data_location</c> other than DEFAULT (ONNX Runtime would read a file next to the graph,
/// which for a loaded ML.NET model is in the temporary folder: DESIGN.md fact 15); a negative dimension; a tensor that
/// declares more than <see cref="MaxTensorBytes"/>, or whose data does not match its declared shape and type; a graph
/// input or output declaring more than <see cref="MaxIoElements"/> elements; subgraphs nested deeper than
/// <see cref="MaxGraphDepth"/>; a singular message field given twice (protobuf would merge the two); a metadata key given
/// twice or longer than <see cref="MaxMetadataKeyBytes"/> (readers of the metadata, DigitsML's report among them, build a
/// dictionary of it).
/// <para>Why a wire-format walk with Google.Protobuf's <see cref="CodedInputStream"/> rather than generated classes: it
/// needs only the fields on the way to tensors; it copies nothing (a tensor's bytes are measured, never materialised, so a
/// check costs no memory of the graph's size); and the scoring assembly then depends on no ONNX message subset of its own.
/// CodedInputStream contributes the reference varint, tag and length decoding with its own checks of malformed input.</para></summary>
internal static class OnnxGraphCheck
{
    /// <summary>The most bytes one tensor may declare (elements × element size, or the dense size of a sparse tensor).</summary>
    internal const long MaxTensorBytes = 256L << 20;

    /// <summary>The most elements a graph input or output may declare with fixed dimensions.</summary>
    internal const long MaxIoElements = 1L << 24;

    /// <summary>The longest metadata key (<c>metadata_props</c>), in bytes.</summary>
    internal const int MaxMetadataKeyBytes = 4096;

    /// <summary>How deep subgraphs may nest (the top graph is depth 1).</summary>
    internal const int MaxGraphDepth = 16;

    /// <summary>Checks the ONNX model in <paramref name="buffer"/>[<paramref name="offset"/>, + <paramref name="length"/>).</summary>
    /// <param name="buffer">Holds the serialized model.</param>
    /// <param name="offset">Where it starts.</param>
    /// <param name="length">Its length.</param>
    /// <param name="what">What the model is, for messages (e.g. "the ONNX graph in entry 'X'").</param>
    /// <param name="path">The file, for <see cref="DataFormatException.FilePath"/>; null for a stream.</param>
    /// <returns>The model's <c>producer_name</c> (empty when it has none).</returns>
    /// <exception cref="DataFormatException">The model is refused; the message names the file, the graph and the cause.</exception>
    internal static string Check(byte[] buffer, int offset, int length, string what, string? path)
    {
        var walker = new Walker(buffer, what, path);
        try
        {
            walker.Model(new OnnxFields(buffer, offset, length, walker.Refuse));
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new DataFormatException(path, $"{what} is not a valid ONNX protobuf ({e.Message})", e);
        }
        return walker.Producer;
    }

    /// <summary>Bits per element, and which repeated field holds the data when <c>raw_data</c> is absent (and how many of
    /// its values make one element: two for complex numbers; 4-bit types pack two elements in one value).</summary>
    private static (int Bits, int Field, int PerElement)? TypeInfo(int dataType) => dataType switch
    {
        1 => (32, 4, 1),                                 // FLOAT in float_data
        2 or 3 or 9 or 17 or 18 or 19 or 20 => (8, 5, 1), // UINT8, INT8, BOOL, FLOAT8* in int32_data
        4 or 5 or 10 or 16 => (16, 5, 1),                // UINT16, INT16, FLOAT16, BFLOAT16 in int32_data
        6 => (32, 5, 1),                                 // INT32
        7 => (64, 7, 1),                                 // INT64 in int64_data
        8 => (0, 6, 1),                                  // STRING in string_data
        11 => (64, 10, 1),                               // DOUBLE in double_data
        12 => (32, 11, 1),                               // UINT32 in uint64_data
        13 => (64, 11, 1),                               // UINT64
        14 => (64, 4, 2),                                // COMPLEX64: two floats
        15 => (128, 10, 2),                              // COMPLEX128: two doubles
        21 or 22 or 23 => (4, 5, 0),                     // UINT4, INT4, FLOAT4E2M1: two per value
        _ => null,
    };

    private sealed class Walker(byte[] buffer, string what, string? path)
    {
        public string Producer { get; private set; } = "";

        public DataFormatException Refuse(string cause) => new(path, $"{what}: {cause}");

        public void Model(OnnxFields model)
        {
            int graphs = 0;
            var keys = new HashSet<string>(StringComparer.Ordinal);
            while (model.Next())
                switch (model.Number)
                {
                    case 2: Producer = model.Text("ModelProto.producer_name"); break;
                    case 7: graphs++; Graph(model.Message("ModelProto.graph"), 1); break;
                    case 14: MetadataKey(model.Message("ModelProto.metadata_props"), keys); break;
                    case 20: TrainingInfo(model.Message("ModelProto.training_info")); break;
                    case 25: Function(model.Message("ModelProto.functions")); break;
                    default: model.Skip(); break;
                }
            if (graphs != 1)
                throw Refuse(graphs == 0 ? "it holds no graph" : $"it holds {graphs} graph fields (protobuf would merge them into one)");
        }

        /// <summary>A metadata entry's key: at most 4 KiB, and given once (readers build dictionaries of them).</summary>
        private void MetadataKey(OnnxFields entry, HashSet<string> keys)
        {
            while (entry.Next())
            {
                if (entry.Number != 1)
                {
                    entry.Skip();
                    continue;
                }
                var (at, length) = entry.Payload("StringStringEntryProto.key");
                if (length > MaxMetadataKeyBytes)
                    throw Refuse($"a metadata key is {length:N0} bytes long; keys may take at most {MaxMetadataKeyBytes:N0}");
                string key = Encoding.UTF8.GetString(buffer, at, length);
                if (!keys.Add(key))
                    throw Refuse($"its metadata key '{(key.Length > 200 ? key[..200] + "…" : key)}' appears twice");
            }
        }

        private void TrainingInfo(OnnxFields info)
        {
            while (info.Next())
                switch (info.Number)
                {
                    case 1 or 2: Graph(info.Message("TrainingInfoProto graph"), 1); break;
                    default: info.Skip(); break;
                }
        }

        private void Function(OnnxFields function)
        {
            while (function.Next())
                switch (function.Number)
                {
                    case 7: Node(function.Message("FunctionProto.node"), 1); break;
                    case 11: Attribute(function.Message("FunctionProto.attribute_proto"), 1); break;
                    default: function.Skip(); break;
                }
        }

        private void Graph(OnnxFields graph, int depth)
        {
            if (depth > MaxGraphDepth)
                throw Refuse($"its subgraphs nest deeper than {MaxGraphDepth} levels");
            while (graph.Next())
                switch (graph.Number)
                {
                    case 1: Node(graph.Message("GraphProto.node"), depth); break;
                    case 5: Tensor(graph.Message("GraphProto.initializer"), "initializer"); break;
                    case 11: ValueInfo(graph.Message("GraphProto.input"), "input"); break;
                    case 12: ValueInfo(graph.Message("GraphProto.output"), "output"); break;
                    case 15: SparseTensor(graph.Message("GraphProto.sparse_initializer"), "sparse initializer"); break;
                    default: graph.Skip(); break;
                }
        }

        private void Node(OnnxFields node, int depth)
        {
            while (node.Next())
                switch (node.Number)
                {
                    case 5: Attribute(node.Message("NodeProto.attribute"), depth); break;
                    default: node.Skip(); break;
                }
        }

        private void Attribute(OnnxFields attribute, int depth)
        {
            int t = 0, g = 0, sparse = 0;
            while (attribute.Next())
                switch (attribute.Number)
                {
                    case 5: t++; Tensor(attribute.Message("AttributeProto.t"), "attribute tensor"); break;
                    case 6: g++; Graph(attribute.Message("AttributeProto.g"), depth + 1); break;
                    case 10: Tensor(attribute.Message("AttributeProto.tensors"), "attribute tensor"); break;
                    case 11: Graph(attribute.Message("AttributeProto.graphs"), depth + 1); break;
                    case 22: sparse++; SparseTensor(attribute.Message("AttributeProto.sparse_tensor"), "attribute sparse tensor"); break;
                    case 23: SparseTensor(attribute.Message("AttributeProto.sparse_tensors"), "attribute sparse tensor"); break;
                    default: attribute.Skip(); break;
                }
            if (t > 1 || g > 1 || sparse > 1)
                throw Refuse("an attribute gives its singular tensor or graph field more than once (protobuf would merge them)");
        }

        /// <summary>Checks one TensorProto; returns its data type and element count.</summary>
        private (int DataType, long Elements) Tensor(OnnxFields tensor, string kind)
        {
            var dims = new List<long>();
            int dataType = 0;
            long? rawBytes = null;
            var counts = new long[12];  // values per repeated data field, by field number
            string name = "", external = "";
            long location = 0;
            while (tensor.Next())
                switch (tensor.Number)
                {
                    case 1:
                        if (tensor.Type == WireFormat.WireType.Varint)
                            dims.Add(tensor.Varint());
                        else
                        {
                            var (at, length) = tensor.Payload("TensorProto.dims");
                            var packed = new CodedInputStream(buffer, at, length);
                            while (packed.Position < at + length)
                                dims.Add(packed.ReadInt64());
                        }
                        break;
                    case 2: dataType = (int)tensor.Varint("TensorProto.data_type"); break;
                    case 4: counts[4] += tensor.Count("TensorProto.float_data", 4); break;
                    case 5: counts[5] += tensor.Count("TensorProto.int32_data", 0); break;
                    case 6: tensor.Payload("TensorProto.string_data"); counts[6]++; break;
                    case 7: counts[7] += tensor.Count("TensorProto.int64_data", 0); break;
                    case 8: name = tensor.Text("TensorProto.name"); break;
                    case 9: rawBytes = tensor.Payload("TensorProto.raw_data").Length; break;
                    case 10: counts[10] += tensor.Count("TensorProto.double_data", 8); break;
                    case 11: counts[11] += tensor.Count("TensorProto.uint64_data", 0); break;
                    case 13: external = ExternalLocation(tensor) ?? external; break;
                    case 14:
                        // DEFAULT (0) is the only value that keeps the data in the graph; anything else is refused.
                        if (tensor.Type != WireFormat.WireType.Varint)
                        {
                            tensor.Skip();
                            location = -1;
                        }
                        else if (tensor.Varint() is long value and not 0)
                            location = value;
                        break;
                    default: tensor.Skip(); break;
                }
            string named = name.Length > 0 ? $"{kind} '{name}'" : $"an unnamed {kind}";
            if (external.Length > 0 || location != 0)
                throw Refuse($"{named} keeps its data in an external file{(external.Length > 0 ? $" ('{external}')" : "")}: only graphs that hold all their data are loaded");
            if (TypeInfo(dataType) is not var (bits, field, perElement))
                throw Refuse($"{named} has data type {dataType}, which this check does not know");
            long elements = Elements(dims, bits, named);
            if (bits == 0 && rawBytes.HasValue)
                throw Refuse($"{named} holds strings in raw_data");
            long expectedBytes = (elements * bits + 7) / 8;
            long expectedValues = perElement == 0 ? (elements + 1) / 2 : elements * perElement;
            if (rawBytes is long raw ? raw != expectedBytes : counts[field] != expectedValues)
                throw Refuse($"{named} declares shape [{string.Join(", ", dims)}] ({elements} elements) but holds " +
                             (rawBytes is long r ? $"{r} bytes of raw data where {expectedBytes} are due" : $"{counts[field]} values where {expectedValues} are due"));
            return (dataType, elements);
        }

        /// <summary>The element count of <paramref name="dims"/>: every dimension non-negative, the size within bounds.</summary>
        private long Elements(List<long> dims, int bits, string named)
        {
            long elements = 1, limit = MaxTensorBytes * 8 / Math.Max(bits, 8);
            foreach (long d in dims)
            {
                if (d < 0)
                    throw Refuse($"{named} has the negative dimension {d}");
                if (d != 0 && elements > limit / d)
                    throw Refuse($"{named} declares shape [{string.Join(", ", dims)}], more than {MaxTensorBytes >> 20} MiB");
                elements *= d;
            }
            return elements;
        }

        /// <summary>The "location" value of one external_data entry (or "?" when it has none).</summary>
        private string? ExternalLocation(OnnxFields tensor)
        {
            if (tensor.Type != WireFormat.WireType.LengthDelimited)
            {
                tensor.Skip();
                return "?";
            }
            var entry = tensor.Message("TensorProto.external_data");
            string key = "", value = "";
            while (entry.Next())
                switch (entry.Number)
                {
                    case 1: key = entry.Text("StringStringEntryProto.key"); break;
                    case 2: value = entry.Text("StringStringEntryProto.value"); break;
                    default: entry.Skip(); break;
                }
            return key == "location" && value.Length > 0 ? value : "?";
        }

        private void SparseTensor(OnnxFields sparse, string kind)
        {
            var dims = new List<long>();
            int values = 0, indices = 0, dataType = 1;
            while (sparse.Next())
                switch (sparse.Number)
                {
                    case 1: values++; dataType = Tensor(sparse.Message("SparseTensorProto.values"), kind + " values").DataType; break;
                    case 2: indices++; Tensor(sparse.Message("SparseTensorProto.indices"), kind + " indices"); break;
                    case 3:
                        if (sparse.Type == WireFormat.WireType.Varint)
                            dims.Add(sparse.Varint());
                        else
                        {
                            var (at, length) = sparse.Payload("SparseTensorProto.dims");
                            var packed = new CodedInputStream(buffer, at, length);
                            while (packed.Position < at + length)
                                dims.Add(packed.ReadInt64());
                        }
                        break;
                    default: sparse.Skip(); break;
                }
            if (values > 1 || indices > 1)
                throw Refuse($"a {kind} gives its values or indices more than once (protobuf would merge them)");
            // ONNX Runtime makes a sparse initializer dense: its dense size is what it allocates.
            Elements(dims, TypeInfo(dataType)?.Bits ?? 8, kind);
        }

        private void ValueInfo(OnnxFields info, string kind)
        {
            string name = "";
            while (info.Next())
                switch (info.Number)
                {
                    case 1: name = info.Text("ValueInfoProto.name"); break;
                    case 2: TypeShape(info.Message("ValueInfoProto.type"), $"{kind} '{name}'"); break;
                    default: info.Skip(); break;
                }
        }

        /// <summary>A tensor or sparse tensor type's fixed dimensions must be non-negative and few enough.</summary>
        private void TypeShape(OnnxFields type, string named)
        {
            while (type.Next())
            {
                if (type.Number is not (1 or 8))
                {
                    type.Skip();
                    continue;
                }
                var tensorType = type.Message("TypeProto tensor type");
                while (tensorType.Next())
                {
                    if (tensorType.Number != 2)
                    {
                        tensorType.Skip();
                        continue;
                    }
                    var shape = tensorType.Message("TypeProto.Tensor.shape");
                    long elements = 1;
                    while (shape.Next())
                    {
                        if (shape.Number != 1)
                        {
                            shape.Skip();
                            continue;
                        }
                        var dim = shape.Message("TensorShapeProto.dim");
                        while (dim.Next())
                        {
                            if (dim.Number != 1)
                            {
                                dim.Skip();
                                continue;
                            }
                            long d = dim.Varint("Dimension.dim_value");
                            if (d < 0)
                                throw Refuse($"{named} declares the negative dimension {d}");
                            if (d != 0 && elements > MaxIoElements / d)
                                throw Refuse($"{named} declares more than {MaxIoElements} elements");
                            elements *= d;
                        }
                    }
                }
            }
        }
    }
}
