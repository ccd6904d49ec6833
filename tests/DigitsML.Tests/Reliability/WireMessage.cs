// WireMessage.cs — a protobuf message as its list of fields, read and written at the wire level, so tests can edit ONNX
// graphs (add external data, lie about shapes, duplicate fields) without generated classes.
using Google.Protobuf;

namespace DigitsML.Tests.Reliability;

/// <summary>One field as it appears on the wire: a varint or fixed value, or length-delimited bytes.</summary>
internal sealed record WireField(int Number, WireFormat.WireType Type, ulong Value, byte[] Bytes)
{
    public static WireField Varint(int number, long value) => new(number, WireFormat.WireType.Varint, (ulong)value, []);

    public static WireField Blob(int number, byte[] bytes) => new(number, WireFormat.WireType.LengthDelimited, 0, bytes);

    public static WireField Text(int number, string text) => Blob(number, System.Text.Encoding.UTF8.GetBytes(text));
}

/// <summary>The fields of one message, in wire order (repeated fields as several entries).</summary>
internal sealed class WireMessage
{
    public List<WireField> Fields { get; } = [];

    /// <summary>Reads a message's fields (groups, which ONNX does not use, are dropped).</summary>
    /// <exception cref="InvalidProtocolBufferException">The bytes are not a protobuf message.</exception>
    public static WireMessage Parse(byte[] bytes)
    {
        var message = new WireMessage();
        var input = new CodedInputStream(bytes);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            int number = WireFormat.GetTagFieldNumber(tag);
            var type = WireFormat.GetTagWireType(tag);
            switch (type)
            {
                case WireFormat.WireType.Varint: message.Fields.Add(new WireField(number, type, input.ReadUInt64(), [])); break;
                case WireFormat.WireType.Fixed64: message.Fields.Add(new WireField(number, type, input.ReadFixed64(), [])); break;
                case WireFormat.WireType.Fixed32: message.Fields.Add(new WireField(number, type, input.ReadFixed32(), [])); break;
                case WireFormat.WireType.LengthDelimited: message.Fields.Add(new WireField(number, type, 0, input.ReadBytes().ToByteArray())); break;
                default: input.SkipLastField(); break;  // groups: not in ONNX, dropped
            }
        }
        return message;
    }

    public byte[] ToBytes()
    {
        using var stream = new MemoryStream();
        var output = new CodedOutputStream(stream);
        foreach (var f in Fields)
        {
            output.WriteTag(f.Number, f.Type);
            switch (f.Type)
            {
                case WireFormat.WireType.Varint: output.WriteUInt64(f.Value); break;
                case WireFormat.WireType.Fixed64: output.WriteFixed64(f.Value); break;
                case WireFormat.WireType.Fixed32: output.WriteFixed32((uint)f.Value); break;
                default: output.WriteBytes(ByteString.CopyFrom(f.Bytes)); break;
            }
        }
        output.Flush();
        return stream.ToArray();
    }

    /// <summary>Indices of the fields numbered <paramref name="number"/>.</summary>
    public List<int> IndicesOf(int number) => [.. Fields.Select((f, i) => (f, i)).Where(p => p.f.Number == number).Select(p => p.i)];

    /// <summary>Replaces the message held in field <paramref name="index"/> by <paramref name="edit"/>'s result.</summary>
    public void EditAt(int index, Action<WireMessage> edit)
    {
        var inner = Parse(Fields[index].Bytes);
        edit(inner);
        Fields[index] = Fields[index] with { Bytes = inner.ToBytes() };
    }

    /// <summary>Edits the first message numbered <paramref name="number"/> (the ONNX model's graph, for example).</summary>
    public void Edit(int number, Action<WireMessage> edit) => EditAt(IndicesOf(number)[0], edit);

    /// <summary>The varint value of the last field numbered <paramref name="number"/>, or null.</summary>
    public long? VarintOf(int number) => Fields.LastOrDefault(f => f.Number == number && f.Type == WireFormat.WireType.Varint) is { } f ? (long)f.Value : null;
}
