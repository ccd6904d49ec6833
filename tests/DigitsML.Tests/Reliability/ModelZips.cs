// ModelZips.cs — reads and rewrites ML.NET model zips for the loading tests and the model-zip fuzzer: entries in order (a
// name may repeat), the OnnxModel entry's length prefix and graph, and the ONNX graph's parts (initializers, nodes).
using System.Buffers.Binary;
using System.IO.Compression;

namespace DigitsML.Tests.Reliability;

internal static class ModelZips
{
    /// <summary>The entries of a zip in order, names as stored.</summary>
    public static List<(string Name, byte[] Bytes)> Entries(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        return [.. archive.Entries.Select(e =>
        {
            using var s = e.Open();
            using var m = new MemoryStream();
            s.CopyTo(m);
            return (e.FullName, m.ToArray());
        })];
    }

    /// <summary>A zip of <paramref name="entries"/> in order (System.IO.Compression writes repeated names as given).</summary>
    public static byte[] Zip(IEnumerable<(string Name, byte[] Bytes)> entries, CompressionLevel level = CompressionLevel.Fastest)
    {
        using var stream = new MemoryStream();
        using (var archive = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (name, bytes) in entries)
            {
                using var output = archive.CreateEntry(name, level).Open();
                output.Write(bytes);
            }
        return stream.ToArray();
    }

    public static bool IsOnnx(string name) => name == "OnnxModel" || name.EndsWith("/OnnxModel", StringComparison.Ordinal);

    /// <summary>The ONNX graph of an OnnxModel entry (after its 32-bit length).</summary>
    public static byte[] GraphOf(byte[] entry) => entry[4..];

    /// <summary>An OnnxModel entry for <paramref name="graph"/>, with its true length or <paramref name="prefix"/>.</summary>
    public static byte[] OnnxEntry(byte[] graph, int? prefix = null)
    {
        var entry = new byte[4 + graph.Length];
        BinaryPrimitives.WriteInt32LittleEndian(entry, prefix ?? graph.Length);
        graph.CopyTo(entry, 4);
        return entry;
    }

    /// <summary>The zip with its ONNX graph replaced by <paramref name="edit"/>'s result (prefix kept true).</summary>
    public static byte[] EditGraph(byte[] zip, Func<byte[], byte[]> edit) =>
        Zip(Entries(zip).Select(e => IsOnnx(e.Name) ? (e.Name, OnnxEntry(edit(GraphOf(e.Bytes)))) : e));

    /// <summary>The graph with <paramref name="edit"/> applied to its model-level message.</summary>
    public static byte[] EditModel(byte[] graph, Action<WireMessage> edit)
    {
        var model = WireMessage.Parse(graph);
        edit(model);
        return model.ToBytes();
    }

    /// <summary>An initializer (ONNX GraphProto field 5) made to keep its data in the file <paramref name="location"/>
    /// next to the graph, as ONNX's external-data format does: raw_data removed, external_data and data_location set.</summary>
    public static void MakeExternal(WireMessage tensor, string location)
    {
        tensor.Fields.RemoveAll(f => f.Number is 4 or 9);
        var entry = new WireMessage();
        entry.Fields.Add(WireField.Text(1, "location"));
        entry.Fields.Add(WireField.Text(2, location));
        tensor.Fields.Add(WireField.Blob(13, entry.ToBytes()));
        tensor.Fields.Add(WireField.Varint(14, 1));
    }

    /// <summary>A tensor's dimensions (ONNX TensorProto field 1, packed or not).</summary>
    public static List<long> Dims(WireMessage tensor)
    {
        var dims = new List<long>();
        foreach (var f in tensor.Fields.Where(f => f.Number == 1))
            if (f.Type == Google.Protobuf.WireFormat.WireType.Varint)
                dims.Add((long)f.Value);
            else
            {
                var packed = new Google.Protobuf.CodedInputStream(f.Bytes);
                while (!packed.IsAtEnd)
                    dims.Add(packed.ReadInt64());
            }
        return dims;
    }

    /// <summary>The graph with the first initializer of <paramref name="elements"/> elements edited.</summary>
    public static byte[] EditInitializer(byte[] graph, long elements, Action<WireMessage> edit) => EditModel(graph, model => model.Edit(7, g =>
        g.EditAt(g.IndicesOf(5).First(i => Dims(WireMessage.Parse(g.Fields[i].Bytes)).Aggregate(1L, (a, b) => a * b) == elements), edit)));

    /// <summary>The graph with the op_type of its first node of type <paramref name="from"/> set to <paramref name="to"/>
    /// (and, when <paramref name="dropAttributes"/>, its attributes removed).</summary>
    public static byte[] ReplaceOperator(byte[] graph, string from, string to, bool dropAttributes) => EditModel(graph, model => model.Edit(7, g =>
        g.EditAt(g.IndicesOf(1).First(i => WireMessage.Parse(g.Fields[i].Bytes).Fields.Any(f => f.Number == 4 && System.Text.Encoding.UTF8.GetString(f.Bytes) == from)), node =>
        {
            node.Fields.RemoveAll(f => f.Number == 4 || (dropAttributes && f.Number == 5));
            node.Fields.Add(WireField.Text(4, to));
        })));

    /// <summary>The zip with the uncompressed size of entries ending in <paramref name="suffix"/> rewritten in both the
    /// local and the central header (what a zip bomb declares, or a lie about it).</summary>
    public static byte[] DeclareSize(byte[] zip, string suffix, uint size)
    {
        var copy = zip.ToArray();
        for (int at = 0; at + 46 <= copy.Length; at++)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(copy.AsSpan(at)) != 0x02014b50)
                continue;
            int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(copy.AsSpan(at + 28));
            if (at + 46 + nameLength > copy.Length || !System.Text.Encoding.UTF8.GetString(copy, at + 46, nameLength).EndsWith(suffix, StringComparison.Ordinal))
                continue;
            BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(at + 24), size);
            uint local = BinaryPrimitives.ReadUInt32LittleEndian(copy.AsSpan(at + 42));
            if (local + 26L <= copy.Length)
                BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan((int)local + 22), size);
        }
        return copy;
    }
}
