// ModelZipMutator.cs — structural mutations of ML.NET model zips for the model-zip fuzzer: the zip's headers and entries
// (damaged, truncated, removed, repeated, lying sizes), ML.NET's trusted 32-bit sizes inside entries, the OnnxModel
// length prefix, and the ONNX protobuf (external data, shapes, types, repeated and removed fields, deep nesting).
using System.Buffers.Binary;
using Google.Protobuf;

namespace DigitsML.Tests.Reliability;

/// <summary>Makes one mutant of a model zip from <see cref="Mutator"/>'s random stream, so a seed reproduces it.</summary>
internal sealed class ModelZipMutator(Mutator mutator)
{
    private static readonly long[] InterestingLongs =
        [0, 1, -1, 2, 10, 784, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 1L << 32, 1L << 40, long.MaxValue, long.MinValue, -784];

    private static readonly uint[] DeclaredSizes = [0, 1, 4, 1 << 20, 2_684_354_560, 0x7FFFFFFF, 0xFFFFFFFF];

    private static readonly string[] Locations = ["secret.bin", "../secret.bin", "/etc/hostname", "weights.bin", ""];

    private Random Random => mutator.Random;

    public (byte[] Bytes, string What) Mutate(byte[] zip)
    {
        List<(string Name, byte[] Bytes)> entries;
        try
        {
            entries = ModelZips.Entries(zip);
        }
        catch (Exception e) when (e is InvalidDataException or NotSupportedException or IOException or ArgumentException or OverflowException)
        {
            return mutator.Bytes(zip);  // an earlier round already broke the zip
        }
        if (entries.Count == 0)
            return mutator.Bytes(zip);
        // An OnnxModel entry too short for its length prefix (an earlier round cut it) gets the generic edits only.
        int onnx = entries.FindIndex(e => ModelZips.IsOnnx(e.Name) && e.Bytes.Length >= 4);
        int pick = Random.Next(entries.Count);
        string name = entries[pick].Name;
        switch (Random.Next(onnx >= 0 ? 12 : 8))
        {
            case 0:
                return mutator.Bytes(zip);
            case 1:
                return mutator.ZipSizes(zip);
            case 2:
                uint size = DeclaredSizes[Random.Next(DeclaredSizes.Length)];
                return (ModelZips.DeclareSize(zip, name, size), $"'{name}' declares {size} bytes");
            case 3:
                entries.RemoveAt(pick);
                return (ModelZips.Zip(entries), $"'{name}' removed");
            case 4:
                var copy = Random.Next(2) == 0 ? entries[pick].Bytes : mutator.Bytes(entries[pick].Bytes).Bytes;
                entries.Insert(Random.Next(entries.Count + 1), (name, copy));
                return (ModelZips.Zip(entries), $"'{name}' twice");
            case 5:
                int keep = Random.Next(entries[pick].Bytes.Length + 1);
                entries[pick] = (name, entries[pick].Bytes[..keep]);
                return (ModelZips.Zip(entries), $"'{name}' truncated to {keep} bytes");
            case 6:
                var (damaged, how) = mutator.Bytes(entries[pick].Bytes);
                entries[pick] = (name, damaged);
                return (ModelZips.Zip(entries), $"'{name}': {how}");
            case 7:
                return TrustedSize(entries, pick);
            case 8:
                byte[] graph = ModelZips.GraphOf(entries[onnx].Bytes);
                int prefix = Random.Next(2) == 0 ? (int)(uint)InterestingLongs[Random.Next(InterestingLongs.Length)] : graph.Length + Random.Next(-2, 3);
                entries[onnx] = (entries[onnx].Name, ModelZips.OnnxEntry(graph, prefix));
                return (ModelZips.Zip(entries), $"OnnxModel length prefix {prefix} for {graph.Length} bytes");
            default:
                var (edited, change) = Graph(ModelZips.GraphOf(entries[onnx].Bytes));
                entries[onnx] = (entries[onnx].Name, ModelZips.OnnxEntry(edited));
                return (ModelZips.Zip(entries), $"ONNX graph: {change}");
        }
    }

    /// <summary>ML.NET reads array lengths from its entries as trusted capacities (StreamUtils: "reading trusted capacity
    /// value from data stream"): an interesting 32-bit value at a 4-byte-aligned offset of an entry reaches them.</summary>
    private (byte[], string) TrustedSize(List<(string Name, byte[] Bytes)> entries, int pick)
    {
        var (name, bytes) = entries[pick];
        if (bytes.Length < 4)
            return (ModelZips.Zip(entries), $"'{name}' too short to edit");
        var copy = bytes.ToArray();
        int at = Random.Next(2) == 0 ? Random.Next((copy.Length - 4) / 4 + 1) * 4 : Random.Next(copy.Length - 3);
        uint value = (uint)InterestingLongs[Random.Next(InterestingLongs.Length)];
        BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(at), value);
        entries[pick] = (name, copy);
        return (ModelZips.Zip(entries), $"'{name}' 32-bit word at {at} = 0x{value:X8}");
    }

    /// <summary>One edit of the ONNX model: a targeted attack on an initializer or the nesting, or a random field edit at a
    /// random depth.</summary>
    private (byte[], string) Graph(byte[] graph)
    {
        try
        {
            return Edit(graph);
        }
        catch (InvalidProtocolBufferException)
        {
            return mutator.Bytes(graph);  // an earlier round left bytes that are no longer a protobuf message
        }
    }

    private (byte[], string) Edit(byte[] graph)
    {
        var model = WireMessage.Parse(graph);
        if (model.IndicesOf(7).Count == 0)
            return mutator.Bytes(graph);
        string what;
        switch (Random.Next(7))
        {
            case 0:
                string location = Locations[Random.Next(Locations.Length)];
                what = Initializer(model, t => ModelZips.MakeExternal(t, location), $"external data at '{location}'");
                break;
            case 1:
                what = Initializer(model, t => t.Fields.Add(WireField.Varint(14, Random.Next(1, 3))), "data_location set");
                break;
            case 2:
                long dim = InterestingLongs[Random.Next(InterestingLongs.Length)];
                what = Initializer(model, t => t.Fields.Add(WireField.Varint(1, dim)), $"dimension {dim} added");
                break;
            case 3:
                int type = Random.Next(0, 27);
                what = Initializer(model, t => t.Fields.Add(WireField.Varint(2, type)), $"data type {type}");
                break;
            case 4:
                int depth = new[] { 2, 15, 17, 60, 400 }[Random.Next(5)];
                model.Edit(7, g =>
                {
                    var nodes = g.IndicesOf(1);
                    if (nodes.Count > 0)
                        g.EditAt(nodes[Random.Next(nodes.Count)], node => node.Fields.Add(WireField.Blob(5, NestedGraphs(depth))));
                });
                what = $"a node given subgraphs nested {depth} deep";
                break;
            case 5:
                model.Fields.Add(model.Fields[model.IndicesOf(7)[0]]);
                what = "graph field twice";
                break;
            default:
                what = "field " + Deep(model, 6);
                break;
        }
        return (model.ToBytes(), what);
    }

    private string Initializer(WireMessage model, Action<WireMessage> edit, string what)
    {
        string name = "";
        model.Edit(7, g =>
        {
            var initializers = g.IndicesOf(5);
            if (initializers.Count == 0)
                return;
            g.EditAt(initializers[Random.Next(initializers.Count)], t =>
            {
                name = t.Fields.FirstOrDefault(f => f.Number == 8) is { } n ? System.Text.Encoding.UTF8.GetString(n.Bytes) : "?";
                edit(t);
            });
        });
        return $"initializer '{name}': {what}";
    }

    /// <summary>An AttributeProto named "body" holding a graph whose one node holds the next, <paramref name="depth"/> deep.</summary>
    private static byte[] NestedGraphs(int depth)
    {
        byte[] graph = [];
        for (int level = 0; level < depth; level++)
        {
            var attribute = new WireMessage();
            attribute.Fields.Add(WireField.Text(1, "body"));
            attribute.Fields.Add(WireField.Blob(6, graph));
            attribute.Fields.Add(WireField.Varint(20, 5));
            var node = new WireMessage();
            node.Fields.Add(WireField.Text(4, "If"));
            node.Fields.Add(WireField.Blob(5, attribute.ToBytes()));
            var outer = new WireMessage();
            outer.Fields.Add(WireField.Blob(1, node.ToBytes()));
            graph = outer.ToBytes();
        }
        var top = new WireMessage();
        top.Fields.Add(WireField.Text(1, "body"));
        top.Fields.Add(WireField.Blob(6, graph));
        top.Fields.Add(WireField.Varint(20, 5));
        return top.ToBytes();
    }

    /// <summary>Goes down a random path of fields that parse as messages, then removes, repeats or changes one field there.</summary>
    private string Deep(WireMessage message, int depthLeft)
    {
        var nested = message.Fields.Select((f, i) => (f, i)).Where(p => p.f.Type == WireFormat.WireType.LengthDelimited && p.f.Bytes.Length > 0).ToList();
        if (depthLeft > 0 && nested.Count > 0 && Random.Next(4) != 0)
        {
            var (field, index) = nested[Random.Next(nested.Count)];
            WireMessage? inner;
            try
            {
                inner = WireMessage.Parse(field.Bytes);
            }
            catch (InvalidProtocolBufferException)
            {
                inner = null;
            }
            if (inner is { Fields.Count: > 0 })
            {
                string what = Deep(inner, depthLeft - 1);
                message.Fields[index] = field with { Bytes = inner.ToBytes() };
                return $"{field.Number}.{what}";
            }
        }
        if (message.Fields.Count == 0)
            return "(empty message)";
        int at = Random.Next(message.Fields.Count);
        var f = message.Fields[at];
        long value = InterestingLongs[Random.Next(InterestingLongs.Length)];
        switch (Random.Next(5))
        {
            case 0:
                message.Fields.RemoveAt(at);
                return $"{f.Number} removed";
            case 1:
                message.Fields.Insert(at, f);
                return $"{f.Number} repeated";
            case 2 when f.Type == WireFormat.WireType.Varint:
                message.Fields[at] = f with { Value = (ulong)value };
                return $"{f.Number} = {value}";
            case 3 when f.Type == WireFormat.WireType.LengthDelimited:
                var (bytes, how) = mutator.Bytes(f.Bytes);
                message.Fields[at] = f with { Bytes = bytes };
                return $"{f.Number}: {how}";
            default:
                message.Fields.Add(WireField.Varint(f.Number, value));
                return $"{f.Number} given varint {value}";
        }
    }
}
