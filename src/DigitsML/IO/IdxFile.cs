// IdxFile.cs — reads the IDX files MNIST is distributed in, plain or gzip-compressed.
using System.Buffers.Binary;
using System.IO.Compression;

namespace DigitsML.IO;

/// <summary>Reader for IDX files of unsigned bytes (type 0x08): images (rank 3) and labels (rank 1).</summary>
internal static class IdxFile
{
    private const byte UnsignedByte = 0x08;

    /// <summary>Refuses files claiming more than this many values before allocating anything.</summary>
    internal const long MaxValues = 1L << 31;

    /// <summary>Reads an image file: count, rows, columns and count·rows·columns pixels.</summary>
    /// <exception cref="DataFormatException">Not an IDX image file of unsigned bytes, or truncated.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    internal static (int Count, int Rows, int Columns, byte[] Pixels) ReadImages(string path)
    {
        var (dims, data) = Read(path, expectedRank: 3, what: "images");
        return (dims[0], dims[1], dims[2], data);
    }

    /// <summary>Reads a label file.</summary>
    /// <exception cref="DataFormatException">Not an IDX label file of unsigned bytes, or truncated.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    internal static byte[] ReadLabels(string path) => Read(path, expectedRank: 1, what: "labels").Data;

    private static (int[] Dims, byte[] Data) Read(string path, int expectedRank, string what)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"IDX {what} file not found: {path}", path);
        using var file = File.OpenRead(path);
        Span<byte> head = stackalloc byte[4];
        int got = file.ReadAtLeast(head, 4, throwOnEndOfStream: false);
        file.Position = 0;
        bool gzip = got >= 2 && head[0] == 0x1f && head[1] == 0x8b;
        using Stream stream = gzip ? new GZipStream(file, CompressionMode.Decompress) : file;
        try
        {
            return ReadBody(stream, path, expectedRank, what, gzip ? null : file.Length);
        }
        catch (InvalidDataException e)
        {
            throw new DataFormatException(path, $"the gzip stream is corrupt ({e.Message})");
        }
    }

    private static (int[] Dims, byte[] Data) ReadBody(Stream stream, string path, int expectedRank, string what, long? fileLength)
    {
        Span<byte> magic = stackalloc byte[4];
        if (stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false) < 4)
            throw new DataFormatException(path, $"too short to be an IDX {what} file (no 4-byte header)");
        if (magic[0] != 0 || magic[1] != 0)
            throw new DataFormatException(path, $"not an IDX file: the magic number starts {magic[0]:X2} {magic[1]:X2}, expected 00 00");
        if (magic[2] != UnsignedByte)
            throw new DataFormatException(path, $"IDX element type 0x{magic[2]:X2} is not supported; expected 0x08 (unsigned byte)");
        if (magic[3] != expectedRank)
            throw new DataFormatException(path, $"an IDX {what} file has {expectedRank} dimension(s); this one has {magic[3]}");

        var dims = new int[expectedRank];
        Span<byte> word = stackalloc byte[4];
        long total = 1;
        for (int d = 0; d < expectedRank; d++)
        {
            if (stream.ReadAtLeast(word, 4, throwOnEndOfStream: false) < 4)
                throw new DataFormatException(path, "the header ends before all dimensions are given");
            int size = BinaryPrimitives.ReadInt32BigEndian(word);
            if (size < 0)
                throw new DataFormatException(path, $"dimension {d} is negative ({size})");
            dims[d] = size;
            total *= size;
            if (total > MaxValues)
                throw new DataFormatException(path, $"the header claims more than {MaxValues:N0} values; refusing to allocate");
        }
        long headerLength = 4 + 4L * expectedRank;
        if (fileLength is long length && length - headerLength < total)
            throw new DataFormatException(path,
                $"truncated: the header promises {total:N0} bytes of {what} but the file holds {Math.Max(0, length - headerLength):N0}");

        byte[] data = fileLength is null ? ReadGrowing(stream, total) : new byte[total];
        int read = fileLength is null ? data.Length : stream.ReadAtLeast(data, data.Length, throwOnEndOfStream: false);
        if (read < total)
            throw new DataFormatException(path, $"truncated: the header promises {total:N0} bytes of {what} but only {read:N0} follow");
        return (dims, data);
    }

    /// <summary>Reads up to <paramref name="total"/> bytes from a stream of unknown length (gzip), allocating only as the
    /// data arrives: a 100-byte gzip file whose header claims 2 GB must not allocate 2 GB (found by the fuzzer).</summary>
    private static byte[] ReadGrowing(Stream stream, long total)
    {
        var buffer = new byte[Math.Min(total, 1 << 20)];
        int filled = 0;
        while (filled < total)
        {
            if (filled == buffer.Length)
                Array.Resize(ref buffer, (int)Math.Min(total, 2L * buffer.Length));
            int got = stream.Read(buffer, filled, buffer.Length - filled);
            if (got == 0)
                break;
            filled += got;
        }
        if (filled < buffer.Length)
            Array.Resize(ref buffer, filled);
        return buffer;
    }
}
