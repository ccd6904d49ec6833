// Mutator.cs — seeded mutations of file bytes for the reader fuzzer: byte-level damage and format-aware edits.
using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DigitsML.Tests.Reliability;

/// <summary>Makes corrupted variants of a valid file. Every choice comes from one <see cref="Random"/>, so a seed
/// reproduces the whole sequence; each mutant carries a description of what was done to it.</summary>
internal sealed class Mutator(Random random)
{
    /// <summary>Values that break size arithmetic: zero, one, off-by-one around 28, sign and width boundaries.</summary>
    private static readonly uint[] InterestingWords =
        [0, 1, 2, 27, 29, 255, 256, 0x7FFF, 0xFFFF, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0x40000000, 60000, 784];

    internal Random Random { get; } = random;

    /// <summary>One generic byte-level mutation: bit flips, truncation, insertion, deletion or overwrites.</summary>
    internal (byte[] Bytes, string What) Bytes(byte[] input)
    {
        var bytes = input.ToList();
        switch (Random.Next(6))
        {
            case 0:
                int flips = 1 + Random.Next(8);
                for (int i = 0; i < flips && bytes.Count > 0; i++)
                    bytes[Random.Next(bytes.Count)] ^= (byte)(1 << Random.Next(8));
                return ([.. bytes], $"{flips} bit flip(s)");
            case 1:
                int keep = Random.Next(bytes.Count + 1);
                return ([.. bytes.Take(keep)], $"truncated to {keep} bytes");
            case 2:
                int at = Random.Next(bytes.Count + 1), count = 1 + Random.Next(Random.Next(2) == 0 ? 4 : 64);
                var inserted = new byte[count];
                Random.NextBytes(inserted);
                bytes.InsertRange(at, inserted);
                return ([.. bytes], $"{count} byte(s) inserted at {at}");
            case 3:
                if (bytes.Count == 0)
                    return ([], "empty");
                int from = Random.Next(bytes.Count), length = Math.Min(bytes.Count - from, 1 + Random.Next(64));
                bytes.RemoveRange(from, length);
                return ([.. bytes], $"{length} byte(s) deleted at {from}");
            case 4:
                if (bytes.Count < 4)
                    return ([.. bytes], "too short to overwrite");
                int word = Random.Next(bytes.Count - 3);
                uint value = InterestingWords[Random.Next(InterestingWords.Length)];
                var result = bytes.ToArray();
                BinaryPrimitives.WriteUInt32BigEndian(result.AsSpan(word), value);
                return (result, $"word at {word} set to 0x{value:X8}");
            default:
                var copy = bytes.ToArray();
                int runs = 1 + Random.Next(4);
                for (int i = 0; i < runs && copy.Length > 0; i++)
                    copy[Random.Next(copy.Length)] = (byte)(Random.Next(2) == 0 ? 0 : 0xFF);
                return (copy, $"{runs} byte(s) set to 00/FF");
        }
    }

    /// <summary>An IDX-aware mutation: header fields (magic, element type, rank, each dimension) edited, or a
    /// byte-level mutation; sometimes the result is gzip-compressed, as MNIST is distributed.</summary>
    internal (byte[] Bytes, string What) Idx(byte[] input)
    {
        (byte[] bytes, string what) = Random.Next(3) switch
        {
            0 => Bytes(input),
            _ => IdxHeader(input),
        };
        if (Random.Next(4) == 0)
        {
            if (Random.Next(3) == 0)
                return (Gzip(bytes), what + ", gzipped");
            var (damaged, how) = Bytes(Gzip(bytes));
            return (damaged, what + $", gzipped then {how}");
        }
        return (bytes, what);
    }

    private (byte[], string) IdxHeader(byte[] input)
    {
        var bytes = input.ToArray();
        if (bytes.Length < 4)
            return (bytes, "header too short to edit");
        switch (Random.Next(4))
        {
            case 0:
                bytes[Random.Next(2)] = (byte)Random.Next(256);
                return (bytes, "magic edited");
            case 1:
                bytes[2] = (byte)Random.Next(256);
                return (bytes, $"element type 0x{bytes[2]:X2}");
            case 2:
                bytes[3] = (byte)Random.Next(6);
                return (bytes, $"rank {bytes[3]}");
            default:
                int rank = Math.Min(bytes[3], (bytes.Length - 4) / 4);
                if (rank == 0)
                    return (bytes, "no dimension to edit");
                int d = Random.Next(rank);
                uint value = Random.Next(2) == 0 ? InterestingWords[Random.Next(InterestingWords.Length)] : (uint)Random.Next(1, 64);
                BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4 + 4 * d), value);
                return (bytes, $"dimension {d} = {value}");
        }
    }

    /// <summary>A model-file-aware mutation: byte damage to the zip, lying sizes in its directory, or one entry edited
    /// (bytes, JSON values, safetensors header) and re-zipped — with the manifest recomputed half of the time, so the
    /// edit reaches the parsers behind the hash check.</summary>
    internal (byte[] Bytes, string What) ModelFile(byte[] zip)
    {
        switch (Random.Next(5))
        {
            case 0:
                return Bytes(zip);
            case 1:
                return ZipSizes(zip);
        }
        Dictionary<string, byte[]> entries;
        try
        {
            entries = Unzip(zip);
        }
        catch (InvalidDataException)
        {
            return Bytes(zip);  // an earlier round already broke the zip
        }
        if (entries.Count == 0)
            return Bytes(zip);
        var names = entries.Keys.Where(n => n != "manifest.json" || Random.Next(4) == 0).ToArray();
        string name = names[Random.Next(names.Length)];
        string what;
        switch (Random.Next(4))
        {
            case 0:
                entries.Remove(name);
                what = $"entry '{name}' removed";
                break;
            case 1 when name.EndsWith(".json", StringComparison.Ordinal):
                (entries[name], string edit) = Json(entries[name]);
                what = $"'{name}': {edit}";
                break;
            case 2 when name.EndsWith(".safetensors", StringComparison.Ordinal):
                (entries[name], string change) = SafetensorsHeader(entries[name]);
                what = $"'{name}': {change}";
                break;
            default:
                (entries[name], string how) = Bytes(entries[name]);
                what = $"'{name}': {how}";
                break;
        }
        bool rehash = Random.Next(2) == 0 && name != "manifest.json";
        if (rehash)
        {
            entries["manifest.json"] = JsonSerializer.SerializeToUtf8Bytes(entries.Where(kv => kv.Key != "manifest.json")
                .ToDictionary(kv => kv.Key, kv => Convert.ToHexStringLower(SHA256.HashData(kv.Value))));
            what += ", manifest recomputed";
        }
        return (Zip(entries), what);
    }

    /// <summary>Edits one value of a JSON document: a wrong type, an absurd number, null, or a removed member.</summary>
    internal (byte[] Bytes, string What) Json(byte[] json)
    {
        try
        {
            return JsonEdit(json);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException or FormatException)
        {
            return Bytes(json);  // an earlier round left JSON that System.Text.Json cannot even walk
        }
    }

    private (byte[] Bytes, string What) JsonEdit(byte[] json)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return Bytes(json);
        }
        var containers = new List<JsonNode>();
        Collect(root, containers);
        if (containers.Count == 0)
            return Bytes(json);
        var target = containers[Random.Next(containers.Count)];
        JsonNode? replacement = Random.Next(10) switch
        {
            0 => null,
            1 => JsonValue.Create(-1),
            2 => JsonValue.Create(int.MaxValue),
            3 => JsonValue.Create(1e300),
            4 => JsonValue.Create("x"),
            5 => new JsonArray(1, 2, 3),
            6 => new JsonObject { ["kind"] = "Cnn" },
            7 => JsonValue.Create(0),
            8 => JsonValue.Create(true),
            _ => JsonValue.Create(long.MaxValue),
        };
        string what;
        if (target is JsonObject obj && obj.Count > 0)
        {
            string key = obj.ElementAt(Random.Next(obj.Count)).Key;
            if (Random.Next(4) == 0)
            {
                obj.Remove(key);
                what = $"member '{key}' removed";
            }
            else
            {
                obj[key] = replacement;
                what = $"member '{key}' = {replacement?.ToJsonString() ?? "null"}";
            }
        }
        else if (target is JsonArray array && array.Count > 0)
        {
            int i = Random.Next(array.Count);
            if (Random.Next(4) == 0)
            {
                array.RemoveAt(i);
                what = $"array item {i} removed";
            }
            else
            {
                array[i] = replacement;
                what = $"array item {i} = {replacement?.ToJsonString() ?? "null"}";
            }
        }
        else
            return Bytes(json);
        return (Encoding.UTF8.GetBytes(root!.ToJsonString()), what);
    }

    private static void Collect(JsonNode? node, List<JsonNode> containers)
    {
        switch (node)
        {
            case JsonObject o:
                containers.Add(o);
                foreach (var (_, child) in o)
                    Collect(child, containers);
                break;
            case JsonArray a:
                containers.Add(a);
                foreach (var child in a)
                    Collect(child, containers);
                break;
        }
    }

    /// <summary>Edits a safetensors header: a tensor's offsets, dtype or shape, or the 8-byte header length.</summary>
    internal (byte[] Bytes, string What) SafetensorsHeader(byte[] file)
    {
        try
        {
            return SafetensorsEdit(file);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException or FormatException)
        {
            return Bytes(file);
        }
    }

    private (byte[] Bytes, string What) SafetensorsEdit(byte[] file)
    {
        if (file.Length < 8)
            return Bytes(file);
        ulong length = BinaryPrimitives.ReadUInt64LittleEndian(file);
        if (length > (ulong)(file.Length - 8) || Random.Next(6) == 0)
        {
            var copy = file.ToArray();
            ulong lie = Random.Next(3) switch { 0 => ulong.MaxValue, 1 => (ulong)file.Length, _ => length + (ulong)Random.Next(-8, 9) };
            BinaryPrimitives.WriteUInt64LittleEndian(copy, lie);
            return (copy, $"header length {lie}");
        }
        JsonObject header;
        try
        {
            header = JsonNode.Parse(file.AsSpan(8, (int)length))!.AsObject();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return Bytes(file);
        }
        var tensors = header.Where(kv => kv.Key != "__metadata__" && kv.Value is JsonObject).Select(kv => kv.Key).ToArray();
        if (tensors.Length == 0)
            return Bytes(file);
        string name = tensors[Random.Next(tensors.Length)];
        var tensor = header[name]!.AsObject();
        string what;
        switch (Random.Next(4))
        {
            case 0:
                long[] offsets = Random.Next(3) switch
                {
                    0 => [-4, 0],
                    1 => [0, long.MaxValue],
                    _ => [Random.Next(0, 64), Random.Next(0, 1 << 20)],
                };
                tensor["data_offsets"] = new JsonArray(offsets[0], offsets[1]);
                what = $"'{name}' offsets [{offsets[0]}, {offsets[1]}]";
                break;
            case 1:
                string dtype = new[] { "F16", "F64", "I64", "U8", "BOOL", "" }[Random.Next(6)];
                tensor["dtype"] = dtype;
                what = $"'{name}' dtype {dtype}";
                break;
            case 2:
                int[] shape = Random.Next(3) switch
                {
                    0 => [1 << 30, 1 << 30, 4],
                    1 => [-1, 10],
                    _ => [Random.Next(0, 100), Random.Next(0, 100)],
                };
                tensor["shape"] = new JsonArray([.. shape.Select(d => (JsonNode)d)]);
                what = $"'{name}' shape [{string.Join(", ", shape)}]";
                break;
            default:
                header.Remove(name);
                what = $"'{name}' removed from the header";
                break;
        }
        byte[] json = Encoding.UTF8.GetBytes(header.ToJsonString());
        var output = new byte[8 + json.Length + (file.Length - 8 - (int)length)];
        BinaryPrimitives.WriteUInt64LittleEndian(output, (ulong)json.Length);
        json.CopyTo(output, 8);
        file.AsSpan(8 + (int)length).CopyTo(output.AsSpan(8 + json.Length));
        return (output, what);
    }

    /// <summary>Rewrites the sizes a zip's central directory declares for one entry (a zip bomb's lie).</summary>
    internal (byte[] Bytes, string What) ZipSizes(byte[] zip)
    {
        var copy = zip.ToArray();
        var headers = new List<int>();
        for (int i = 0; i + 46 <= copy.Length; i++)
            if (copy[i] == 'P' && copy[i + 1] == 'K' && copy[i + 2] == 1 && copy[i + 3] == 2)
                headers.Add(i);
        if (headers.Count == 0)
            return Bytes(zip);
        int at = headers[Random.Next(headers.Count)];
        uint value = InterestingWords[Random.Next(InterestingWords.Length)];
        // Central directory header: compressed size at +20, uncompressed size at +24.
        int field = Random.Next(2) == 0 ? 20 : 24;
        BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(at + field), value);
        return (copy, $"central directory {(field == 20 ? "compressed" : "uncompressed")} size at {at} = {value}");
    }

    internal static Dictionary<string, byte[]> Unzip(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        return archive.Entries.ToDictionary(e => e.FullName, e =>
        {
            using var s = e.Open();
            using var m = new MemoryStream();
            s.CopyTo(m);
            return m.ToArray();
        });
    }

    internal static byte[] Zip(IReadOnlyDictionary<string, byte[]> entries)
    {
        using var stream = new MemoryStream();
        using (var archive = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (name, bytes) in entries)
            {
                using var output = archive.CreateEntry(name).Open();
                output.Write(bytes);
            }
        return stream.ToArray();
    }

    internal static byte[] Gzip(byte[] bytes)
    {
        using var stream = new MemoryStream();
        using (var gzip = new GZipStream(stream, CompressionLevel.Fastest, leaveOpen: true))
            gzip.Write(bytes);
        return stream.ToArray();
    }
}
