// BinaryDataViewCheck.cs — checks an ML.NET binary data view entry (a model zip's Schema and TrainSchema entries, the
// "CML\0DVB\0" format BinaryLoader reads) before ML.NET reads it: the header's offsets, the table of contents, every
// column's metadata table of contents, and every codec definition in them, against the entry's length.
using System.Buffers.Binary;

namespace DigitsML.Models;

/// <summary>ML.NET's BinaryLoader reads a <c>VBuffer</c> codec definition's dimension count (a 32-bit word) as a trusted
/// array length and fills the array with <c>Microsoft.ML.Internal.Utilities.StreamUtils.ReadBinaryDataIntoSpan</c>, whose
/// read loop never ends once the stream is exhausted (<c>BinaryReader.Read</c> returns 0 and the loop goes on asking): a
/// TrainSchema entry whose dimension count says 2,561 instead of 1 hangs the loading thread for ever, spinning one core
/// (issue 20, the fuzz run of seed 777001). Codec definitions also nest (a VBuffer of keys), and ML.NET reads them
/// recursively without a depth bound. This check walks the same structure ML.NET walks, within the entry's bytes: the
/// header, the columns' table of contents, each column's metadata table of contents, and each codec definition, and
/// refuses a count or offset that runs past what the entry (or the codec definition) holds. It does not decode the data
/// blocks, whose readers use <c>BinaryReader.ReadInt32</c> and so end at the end of the stream.</summary>
internal static class BinaryDataViewCheck
{
    /// <summary>The file's first eight bytes ("CML\0DVB\0"), as ML.NET's <c>Header.SignatureValue</c>.</summary>
    internal const ulong Signature = 0x00425644004C4D43;

    /// <summary>ML.NET's <c>Header.HeaderSize</c>.</summary>
    private const int HeaderSize = 256;

    /// <summary>How deep codec definitions may nest (ML.NET writes at most a VBuffer of keys of a number: 3).</summary>
    private const int MaxCodecDepth = 8;

    /// <summary>Whether <paramref name="bytes"/> begin with the binary data view signature.</summary>
    internal static bool IsBinaryDataView(ReadOnlySpan<byte> bytes) =>
        bytes.Length >= 8 && BinaryPrimitives.ReadUInt64LittleEndian(bytes) == Signature;

    /// <summary>Checks the binary data view in <paramref name="bytes"/>.</summary>
    /// <param name="bytes">The entry's bytes.</param>
    /// <param name="what">The entry, for messages ("entry 'Schema'").</param>
    /// <param name="path">The file, for messages; null for a stream.</param>
    /// <exception cref="DataFormatException">The entry is refused; the message names the file, the entry and the cause.</exception>
    internal static void Check(byte[] bytes, string what, string? path)
    {
        long length = bytes.Length;
        if (length < HeaderSize + 8)
            throw Refuse(path, what, $"it is {length:N0} bytes long, too short for a binary data view's header and tail");
        long tocOffset = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(24));
        long tailOffset = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(32));
        int columnCount = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(48));
        if (tailOffset < HeaderSize || tailOffset > length - 8)
            throw Refuse(path, what, $"its tail offset {tailOffset:N0} is outside its {length:N0} bytes");
        if (columnCount < 0)
            throw Refuse(path, what, $"its column count is negative ({columnCount:N0})");
        if (columnCount == 0)
            return;
        if (tocOffset < HeaderSize || tocOffset >= tailOffset)
            throw Refuse(path, what, $"its table of contents offset {tocOffset:N0} is outside its {tailOffset:N0} bytes of data");
        var reader = new Reader(bytes, tailOffset, path, what);
        reader.At = tocOffset;
        var metadataTocs = new List<(int Column, long Offset)>();
        for (int c = 0; c < columnCount; c++)
        {
            // A column takes at least 22 bytes, so a column count past the end is refused here, after at most one column.
            reader.Text($"column {c}'s name");
            reader.Codec($"column {c}'s codec", 0);
            reader.Skip(1, $"column {c}'s compression");
            reader.Leb128($"column {c}'s rows per block");
            reader.Skip(8, $"column {c}'s lookup table offset");
            long metadataToc = reader.Int64($"column {c}'s metadata offset");
            if (metadataToc != 0)
            {
                if (metadataToc < HeaderSize || metadataToc >= tailOffset)
                    throw Refuse(path, what, $"column {c}'s metadata offset {metadataToc:N0} is outside its {tailOffset:N0} bytes of data");
                metadataTocs.Add((c, metadataToc));
            }
        }
        foreach (var (column, offset) in metadataTocs)
        {
            reader.At = offset;
            ulong count = reader.Leb128($"column {column}'s metadata count");
            if (count == 0 || count >= int.MaxValue)
                throw Refuse(path, what, $"column {column} declares {count:N0} kinds of metadata");
            // Each kind takes at least 14 bytes: a count past the end is refused when the reader runs out.
            for (ulong k = 0; k < count; k++)
            {
                string kind = $"column {column}'s metadata {k}";
                reader.Text($"{kind}'s kind");
                reader.Codec($"{kind}'s codec", 0);
                reader.Skip(1, $"{kind}'s compression");
                long block = reader.Int64($"{kind}'s block offset");
                ulong size = reader.Leb128($"{kind}'s block size");
                if (block < HeaderSize || block > tailOffset || size == 0 || size > (ulong)(tailOffset - block))
                    throw Refuse(path, what, $"{kind}'s block ({size:N0} bytes at {block:N0}) is outside its {tailOffset:N0} bytes of data");
            }
        }
    }

    private static DataFormatException Refuse(string? path, string what, string cause) =>
        new(path, $"{what} is not a binary data view that ML.NET can read safely: {cause}");

    /// <summary>Reads the little-endian fields ML.NET's BinaryReader reads, never past the end of its data (the tail offset).</summary>
    private sealed class Reader(byte[] bytes, long end, string? path, string what)
    {
        public long At { get; set; }

        private long Need(long count, string field, long limit)
        {
            if (count < 0 || count > limit - At)
                throw Refuse(path, what, $"{field} ({count:N0} bytes at {At:N0}) runs past the end of " +
                                         (limit == end ? $"its {end:N0} bytes of data" : $"its codec definition, at {limit:N0}"));
            long at = At;
            At += count;
            return at;
        }

        public void Skip(long count, string field, long? limit = null) => Need(count, field, limit ?? end);

        public long Int64(string field) => BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan((int)Need(8, field, end)));

        private int Int32(string field, long limit) => BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan((int)Need(4, field, limit)));

        /// <summary>ML.NET's <c>ReadLeb128Int</c>: seven bits a byte, at most ten bytes.</summary>
        public ulong Leb128(string field, long? limit = null)
        {
            ulong value = 0;
            for (int shift = 0; ; shift += 7)
            {
                byte b = bytes[Need(1, field, limit ?? end)];
                if (shift == 9 * 7 && b > 1)
                    throw Refuse(path, what, $"{field} at {At - 1:N0} is a LEB128 integer longer than ten bytes");
                value |= (ulong)(b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                    return value;
            }
        }

        /// <summary>A string as BinaryWriter writes it: a 7-bit encoded byte count (at most five bytes), then UTF-8.</summary>
        public string Text(string field, long? limit = null)
        {
            long stop = limit ?? end;
            uint count = 0;
            for (int shift = 0; ; shift += 7)
            {
                if (shift == 35)
                    throw Refuse(path, what, $"{field} at {At:N0} has a length longer than five bytes");
                byte b = bytes[Need(1, field, stop)];
                count |= (uint)(b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                    break;
            }
            long at = Need(count > int.MaxValue ? -1 : count, field, stop);
            return System.Text.Encoding.UTF8.GetString(bytes, (int)at, (int)count);
        }

        /// <summary>A codec definition as CodecFactory.TryReadCodec reads it: its name, the definition's length, then the
        /// definition, within that length. A VBuffer's definition is its item codec, then a 32-bit dimension count and as
        /// many 32-bit dimensions: the count ML.NET reads as a trusted array length, and hangs on when it runs past the
        /// end of the stream. Key2 and Key hold their item codec, then fixed-size fields.</summary>
        public void Codec(string field, int depth, long? limit = null)
        {
            if (depth > MaxCodecDepth)
                throw Refuse(path, what, $"{field} nests codec definitions more than {MaxCodecDepth} deep");
            string name = Text($"{field}'s name", limit);
            ulong length = Leb128($"{field}'s definition length", limit);
            long start = At, stop = limit ?? end;
            if (length > (ulong)(stop - start))
                throw Refuse(path, what, $"{field} '{Shown(name)}' declares a definition of {length:N0} bytes at {start:N0}, past the end of " +
                                         (stop == end ? $"its {end:N0} bytes of data" : $"its enclosing codec definition, at {stop:N0}"));
            long defEnd = start + (long)length;
            if (name is "VBuffer" or "Key2" or "Key")
            {
                Codec($"{field}'s item codec", depth + 1, defEnd);
                if (name == "VBuffer")
                {
                    int dims = Int32($"{field}'s dimension count", defEnd);
                    if (dims < 0 || (long)dims * 4 > defEnd - At)
                        throw Refuse(path, what, $"{field} 'VBuffer' declares {dims:N0} dimensions at {At - 4:N0}, but its definition " +
                                                 $"has room for {(defEnd - At) / 4:N0}");
                }
            }
            // ML.NET checks that each definition consumed exactly its declared length; the next field starts after it.
            At = defEnd;
        }

        private static string Shown(string name) =>
            new([.. name.Take(40).Select(c => char.IsControl(c) ? '?' : c)]);
    }
}
