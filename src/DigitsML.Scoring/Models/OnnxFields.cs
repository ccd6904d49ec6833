// OnnxFields.cs — the fields of one protobuf message read with Google.Protobuf's CodedInputStream, without generated
// classes and without copying: what OnnxGraphCheck walks ONNX models with.
using System.Text;
using Google.Protobuf;

namespace DigitsML.Models;

/// <summary>The fields of one message: a CodedInputStream over its bytes in a larger buffer, and where they end. A nested
/// message is walked in place (<see cref="Message"/>), a length-delimited field measured without being copied
/// (<see cref="Payload"/>). Malformed input raises <see cref="InvalidProtocolBufferException"/>, or the exception
/// <c>refuse</c> makes of a cause.</summary>
internal sealed class OnnxFields(byte[] buffer, int start, int length, Func<string, DataFormatException> refuse)
{
    private readonly CodedInputStream input = new(buffer, start, length);
    private readonly int end = start + length;
    private uint tag;

    public int Number => WireFormat.GetTagFieldNumber(tag);
    public WireFormat.WireType Type => WireFormat.GetTagWireType(tag);

    public bool Next() => (tag = input.ReadTag()) != 0;
    public void Skip() => input.SkipLastField();
    public long Varint() => input.ReadInt64();
    public long Varint(string field) => Type == WireFormat.WireType.Varint ? input.ReadInt64() : throw refuse($"field {field} has protobuf wire type {Type}");

    /// <summary>The payload of the length-delimited field just read, without copying it; the stream moves past it.</summary>
    public (int Start, int Length) Payload(string field)
    {
        if (Type != WireFormat.WireType.LengthDelimited)
            throw refuse($"field {field} has protobuf wire type {Type}");
        int at = (int)input.Position;  // absolute in the buffer (the stream was made over buffer[start..end])
        var peek = new CodedInputStream(buffer, at, end - at);
        int length = peek.ReadLength();
        int payload = (int)peek.Position;
        if (length < 0 || length > end - payload)
            throw refuse($"field {field} claims {length} bytes where {end - payload} remain: the protobuf is truncated");
        input.SkipLastField();
        return (payload, length);
    }

    public OnnxFields Message(string field)
    {
        var (at, length) = Payload(field);
        return new OnnxFields(buffer, at, length, refuse);
    }

    /// <summary>How many values a repeated scalar field adds: one unpacked, or a packed run of fixed-size or varint values.</summary>
    public long Count(string field, int fixedSize)
    {
        var expected = fixedSize switch { 4 => WireFormat.WireType.Fixed32, 8 => WireFormat.WireType.Fixed64, _ => WireFormat.WireType.Varint };
        if (Type == expected)
        {
            Skip();
            return 1;
        }
        var (at, length) = Payload(field);
        if (fixedSize > 0)
            return length % fixedSize == 0 ? length / fixedSize : throw refuse($"packed {field} of {length} bytes is not a whole number of values");
        var values = new CodedInputStream(buffer, at, length);
        long count = 0;
        while (values.Position < at + length)
        {
            values.ReadInt64();
            count++;
        }
        return count;
    }

    public string Text(string field)
    {
        var (at, length) = Payload(field);
        return Encoding.UTF8.GetString(buffer, at, Math.Min(length, 200));
    }
}
