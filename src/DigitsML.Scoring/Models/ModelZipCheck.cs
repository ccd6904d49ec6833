// ModelZipCheck.cs — checks an ML.NET model zip before ML.NET reads it: its size, entry count and declared sizes, each
// entry's bytes against its declared length and CRC-32, each OnnxModel entry's length prefix and then its ONNX graph,
// and each binary data view entry (Schema, TrainSchema) as BinaryDataViewCheck walks it.
using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;

namespace DigitsML.Models;

/// <summary>ML.NET trusts every size in a model zip: its repository reader allocates an entry's declared length before
/// reading it, and <c>OnnxTransformer</c> allocates the <c>OnnxModel</c> entry's 32-bit length prefix before reading the
/// graph (a prefix of 0x7fffffff is a 2 GiB allocation; issue 20, row 5). This check reads the zip first with
/// System.IO.Compression, streaming, and refuses what ML.NET would mis-handle: more than <see cref="MaxEntries"/> entries;
/// an entry declaring more than <see cref="MaxEntryBytes"/>, or all of them more than <see cref="MaxTotalBytes"/>; an
/// entry that would expand more than <see cref="MaxCompressionRatio"/>-fold (a zip bomb); an entry whose bytes differ from
/// its declared length or CRC-32; a name given twice; an <c>OnnxModel</c> entry whose prefix is not the length that
/// follows; an ONNX graph <see cref="OnnxGraphCheck"/> refuses; and a binary data view entry (the Schema and TrainSchema
/// entries) whose counts run past its bytes, on which ML.NET's BinaryLoader would loop for ever (issue 20, seed 777001;
/// <see cref="BinaryDataViewCheck"/>). Only the ONNX graphs and the binary data views are held in memory, each in one
/// array of its checked length.</summary>
internal static class ModelZipCheck
{
    /// <summary>The most entries a model zip may hold (a DigitsML model has about 20).</summary>
    internal const int MaxEntries = 4096;

    /// <summary>The most bytes one entry may declare, the ONNX graph included.</summary>
    internal const long MaxEntryBytes = 256L << 20;

    /// <summary>The most bytes all entries together may declare, and the largest zip file read.</summary>
    internal const long MaxTotalBytes = 512L << 20;

    /// <summary>How many times its compressed size an entry of more than 1 MiB may expand (Apache POI's zip-bomb bound;
    /// an ONNX graph of trained weights compresses by about 10 %, ML.NET's other entries by less than 5-fold).</summary>
    internal const int MaxCompressionRatio = 100;

    /// <summary>The most bytes the central directory may take.</summary>
    private const long MaxDirectoryBytes = 16L << 20;

    /// <summary>What OnnxTransformer names the entry holding its graph.</summary>
    private const string OnnxEntryName = "OnnxModel";

    /// <summary>One ONNX graph found in the zip: the entry, its bytes (without the length prefix) and its producer.</summary>
    internal sealed record Graph(string Entry, ReadOnlyMemory<byte> Bytes, string Producer);

    /// <summary>Checks the zip in <paramref name="stream"/> from its current position, to which it is put back.</summary>
    /// <param name="stream">A seekable stream holding the zip.</param>
    /// <param name="path">The file, for messages; null for a stream.</param>
    /// <returns>The ONNX graphs in the zip, in entry order.</returns>
    /// <exception cref="DataFormatException">The zip is refused; the message names the file, the entry and the cause.</exception>
    internal static IReadOnlyList<Graph> Check(Stream stream, string? path)
    {
        long start = stream.Position;
        try
        {
            return CheckCore(stream, path);
        }
        finally
        {
            stream.Position = start;
        }
    }

    private static List<Graph> CheckCore(Stream stream, string? path)
    {
        long length = stream.Length - stream.Position;
        if (length > MaxTotalBytes)
            throw new DataFormatException(path, $"it is {length:N0} bytes long; a model zip may take at most {MaxTotalBytes >> 20} MiB");
        CheckEndOfDirectory(stream, path);
        ZipArchive archive;
        IReadOnlyList<ZipArchiveEntry> entries;
        try
        {
            archive = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            entries = archive.Entries;
        }
        catch (Exception e) when (e is InvalidDataException or NotSupportedException or EndOfStreamException or ArgumentException or OverflowException)
        {
            throw new DataFormatException(path, $"not an ML.NET model zip that loads here: {e.Message}", e);
        }
        using (archive)
        {
            if (entries.Count > MaxEntries)
                throw new DataFormatException(path, $"it holds {entries.Count:N0} entries; a model zip may hold at most {MaxEntries:N0}");
            var names = new HashSet<string>(StringComparer.Ordinal);
            var graphs = new List<Graph>();
            long total = 0;
            foreach (var entry in entries)
            {
                string shown = Shown(entry.FullName);
                if (!names.Add(entry.FullName.Replace('\\', '/')))
                    throw new DataFormatException(path, $"entry '{shown}' appears twice");
                if (entry.Length > MaxEntryBytes)
                    throw new DataFormatException(path, $"entry '{shown}' declares {entry.Length:N0} bytes; an entry may hold at most {MaxEntryBytes >> 20} MiB");
                if ((total += entry.Length) > MaxTotalBytes)
                    throw new DataFormatException(path, $"its entries declare more than {MaxTotalBytes >> 20} MiB in all");
                if (entry.Length > 1 << 20 && entry.Length > entry.CompressedLength * MaxCompressionRatio)
                    throw new DataFormatException(path, $"entry '{shown}' would expand from {entry.CompressedLength:N0} to {entry.Length:N0} bytes, " +
                                                        $"more than {MaxCompressionRatio}-fold, as a zip bomb does");
                bool onnx = entry.Name == OnnxEntryName || entry.FullName.EndsWith("\\" + OnnxEntryName, StringComparison.Ordinal);
                var (bytes, dataView) = Read(entry, onnx, shown, path);
                if (bytes is null)
                    continue;
                if (onnx)
                    graphs.Add(CheckGraph(bytes, entry.FullName, shown, path));
                else if (dataView)
                    BinaryDataViewCheck.Check(bytes, $"entry '{shown}'", path);
            }
            return graphs;
        }
    }

    /// <summary>Reads an entry in full, streaming: its length and CRC-32 must be what its header declares. Only then, and
    /// only when <paramref name="keep"/> or the entry is a binary data view (it begins with
    /// <see cref="BinaryDataViewCheck.Signature"/>), is it read again into an array of exactly that length (so a bomb or a
    /// corrupt entry is refused without ever being held in memory); otherwise null.</summary>
    private static (byte[]? Bytes, bool DataView) Read(ZipArchiveEntry entry, bool keep, string shown, string? path)
    {
        Span<byte> head = stackalloc byte[8];
        byte[] chunk = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            uint crc = Crc32.Start;
            long read = 0;
            using (var data = entry.Open())
            {
                int n;
                while ((n = data.Read(chunk, 0, chunk.Length)) > 0)
                {
                    if ((read += n) > entry.Length)
                        throw new DataFormatException(path, $"entry '{shown}' holds more than the {entry.Length:N0} bytes it declares");
                    if (read - n < head.Length)
                        chunk.AsSpan(0, (int)Math.Min(n, head.Length - (read - n))).CopyTo(head[(int)(read - n)..]);
                    crc = Crc32.Append(crc, chunk.AsSpan(0, n));
                }
            }
            if (read != entry.Length)
                throw new DataFormatException(path, $"entry '{shown}' holds {read:N0} bytes but declares {entry.Length:N0}: it is truncated");
            if (Crc32.Finish(crc) != entry.Crc32)
                throw new DataFormatException(path, $"entry '{shown}' is corrupt: its CRC-32 is {Crc32.Finish(crc):x8}, its header declares {entry.Crc32:x8}");
            bool dataView = BinaryDataViewCheck.IsBinaryDataView(read >= head.Length ? head : []);
            if (!keep && !dataView)
                return (null, false);
            var bytes = new byte[entry.Length];
            using (var data = entry.Open())
                data.ReadExactly(bytes);
            return (bytes, dataView);
        }
        catch (Exception e) when (e is InvalidDataException or NotSupportedException or EndOfStreamException)
        {
            throw new DataFormatException(path, $"entry '{shown}' cannot be read: {e.Message}", e);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    /// <summary>The OnnxModel entry: a 32-bit little-endian length (what ML.NET allocates), then exactly that many bytes
    /// of ONNX graph, which must pass <see cref="OnnxGraphCheck"/>.</summary>
    private static Graph CheckGraph(byte[] bytes, string name, string shown, string? path)
    {
        int length = bytes.Length;
        if (length < 4)
            throw new DataFormatException(path, $"entry '{shown}' is {length} bytes long, too short for the length of an ONNX graph");
        int prefix = BinaryPrimitives.ReadInt32LittleEndian(bytes);
        if (prefix != length - 4)
            throw new DataFormatException(path, $"entry '{shown}' says its ONNX graph is {prefix:N0} bytes long, but {length - 4:N0} bytes follow");
        if (prefix == 0)
            throw new DataFormatException(path, $"entry '{shown}' holds an empty ONNX graph");
        string producer = OnnxGraphCheck.Check(bytes, 4, prefix, $"the ONNX graph in entry '{shown}'", path);
        return new Graph(name, bytes.AsMemory(4, prefix), producer);
    }

    /// <summary>Reads the end-of-central-directory record before System.IO.Compression does, which builds an object for
    /// every entry the directory lists before counting them: too many entries or too large a directory is refused here.
    /// A record that cannot be found is left to System.IO.Compression's own message.</summary>
    private static void CheckEndOfDirectory(Stream stream, string? path)
    {
        long start = stream.Position, length = stream.Length - start;
        int tail = (int)Math.Min(length, 22 + ushort.MaxValue);
        var buffer = new byte[tail];
        stream.Position = start + length - tail;
        stream.ReadExactly(buffer);
        stream.Position = start;
        for (int at = tail - 22; at >= 0; at--)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(at)) != 0x06054b50)
                continue;
            int entries = BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(at + 10));
            uint directory = BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(at + 12));
            if (entries != ushort.MaxValue && entries > MaxEntries)
                throw new DataFormatException(path, $"its directory lists {entries:N0} entries; a model zip may hold at most {MaxEntries:N0}");
            if (directory != uint.MaxValue && directory > MaxDirectoryBytes)
                throw new DataFormatException(path, $"its directory claims {directory:N0} bytes; a model zip's takes at most {MaxDirectoryBytes >> 20} MiB");
            return;
        }
    }

    /// <summary>An entry name fit for a one-line message: control characters replaced, at most 160 characters.</summary>
    private static string Shown(string name)
    {
        var text = new string([.. name.Take(160).Select(c => char.IsControl(c) ? '?' : c)]);
        return name.Length > 160 ? text + "…" : text;
    }
}
