// Safetensors.cs — reads and writes the safetensors format (a JSON header and raw little-endian
// tensors; no code), limited to float32, which is all a DigitsML network holds.
using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Nodes;
using DigitsML.Engine;

namespace DigitsML.IO;

/// <summary>safetensors: 8 bytes of header length (little-endian), a JSON header mapping each name to its
/// dtype, shape and byte range, then the tensor bytes. PyTorch reads it with <c>safetensors.torch.load_file</c>.</summary>
internal static class Safetensors
{
    internal const int MaxHeaderBytes = 16 << 20;

    internal static byte[] Write(IReadOnlyList<NamedTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var header = new JsonObject();
        if (metadata is { Count: > 0 })
            header["__metadata__"] = new JsonObject(metadata.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value)));
        long offset = 0;
        foreach (var t in tensors)
        {
            long bytes = t.Data.LongLength * sizeof(float);
            header[t.Name] = new JsonObject
            {
                ["dtype"] = "F32",
                ["shape"] = new JsonArray(t.Shape.Select(d => (JsonNode?)d).ToArray()),
                ["data_offsets"] = new JsonArray(offset, offset + bytes),
            };
            offset += bytes;
        }
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(header);
        // The format asks for the data to start 8-byte aligned; pad the header with spaces.
        int padded = (json.Length + 7) / 8 * 8;
        var output = new byte[8 + padded + offset];
        BinaryPrimitives.WriteUInt64LittleEndian(output, (ulong)padded);
        json.CopyTo(output, 8);
        output.AsSpan(8 + json.Length, padded - json.Length).Fill((byte)' ');
        long position = 8 + padded;
        foreach (var t in tensors)
        {
            var target = output.AsSpan((int)position, t.Data.Length * sizeof(float));
            for (int i = 0; i < t.Data.Length; i++)
                BinaryPrimitives.WriteSingleLittleEndian(target[(i * 4)..], t.Data[i]);
            position += target.Length;
        }
        return output;
    }

    /// <exception cref="DataFormatException">The bytes are not valid float32 safetensors.</exception>
    internal static IReadOnlyList<NamedTensor> Read(ReadOnlySpan<byte> bytes, string source)
    {
        if (bytes.Length < 8)
            throw new DataFormatException(source, "safetensors data is shorter than its 8-byte header length");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (headerLength > MaxHeaderBytes || (long)headerLength > bytes.Length - 8)
            throw new DataFormatException(source, $"safetensors header length {headerLength} exceeds the data or the {MaxHeaderBytes:N0}-byte limit");
        List<KeyValuePair<string, JsonNode?>> header;
        try
        {
            // Duplicate names are refused while parsing; JsonObject would otherwise throw ArgumentException later.
            var root = JsonNode.Parse(bytes.Slice(8, (int)headerLength), documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false })?.AsObject()
                       ?? throw new DataFormatException(source, "the safetensors header is not a JSON object");
            // JsonObject decodes its member names lazily, so invalid UTF-8 in a name would only throw while iterating,
            // outside this handler (found by the fuzzer); listing the members here decodes them all.
            header = [.. root];
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new DataFormatException(source, $"the safetensors header is not valid JSON ({e.Message})");
        }
        var data = bytes[(8 + (int)headerLength)..];
        var tensors = new List<NamedTensor>();
        var ranges = new List<(long Begin, long End, string Name)>();
        foreach (var (name, node) in header)
        {
            if (name == "__metadata__")
                continue;
            try
            {
                var entry = node!.AsObject();
                string dtype = entry["dtype"]!.GetValue<string>();
                if (dtype != "F32")
                    throw new DataFormatException(source, $"tensor '{name}' has dtype {dtype}; only F32 is supported");
                int[] shape = entry["shape"]!.AsArray().Select(d => d!.GetValue<int>()).ToArray();
                var offsets = entry["data_offsets"]!.AsArray();
                long begin = offsets[0]!.GetValue<long>(), end = offsets[1]!.GetValue<long>();
                long elements = shape.Aggregate(1L, (a, d) => d < 0 ? -1 : checked(a * d));
                // checked: a shape whose byte size wraps around 2^64 must not pass for a small range.
                if (elements < 0 || begin < 0 || end > data.Length || end - begin != checked(elements * sizeof(float)))
                    throw new DataFormatException(source,
                        $"tensor '{name}' of shape ({string.Join(", ", shape)}) does not match its byte range [{begin}, {end}) in {data.Length} bytes");
                var values = new float[elements];
                var span = data.Slice((int)begin, (int)(end - begin));
                for (int i = 0; i < values.Length; i++)
                    values[i] = BinaryPrimitives.ReadSingleLittleEndian(span[(i * 4)..]);
                tensors.Add(new NamedTensor(name, shape, values));
                ranges.Add((begin, end, name));
            }
            catch (Exception e) when (e is InvalidOperationException or NullReferenceException or FormatException
                                          or OverflowException or IndexOutOfRangeException or ArgumentOutOfRangeException)
            {
                throw new DataFormatException(source, $"tensor '{name}' has a malformed safetensors entry ({e.Message})");
            }
        }
        ranges.Sort();
        for (int i = 1; i < ranges.Count; i++)
            if (ranges[i].Begin < ranges[i - 1].End)
                throw new DataFormatException(source, $"tensors '{ranges[i - 1].Name}' and '{ranges[i].Name}' overlap");
        return tensors;
    }
}
