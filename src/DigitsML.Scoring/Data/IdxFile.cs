// IdxFile.cs — reads the IDX files MNIST is distributed in, plain or gzip-compressed: whole, or record by record.
using System.Buffers.Binary;
using System.ComponentModel;
using System.IO.Compression;

namespace DigitsML.Data;

/// <summary>Reader for IDX files of unsigned bytes (type 0x08): images (rank 3) and labels (rank 1). Applications read IDX
/// files through <c>ml.Data.LoadFromIdx</c>; the two whole-file readers are public only for DigitsML's training assembly
/// (its in-memory datasets).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class IdxFile
{
    private const byte UnsignedByte = 0x08;

    /// <summary>Refuses files claiming more than this many values before allocating anything.</summary>
    internal const long MaxValues = 1L << 31;

    /// <summary>Reads an image file: count, rows, columns and count·rows·columns pixels.</summary>
    /// <exception cref="DataFormatException">Not an IDX image file of unsigned bytes, or truncated.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static (int Count, int Rows, int Columns, byte[] Pixels) ReadImages(string path)
    {
        var (dims, data) = Read(path, expectedRank: 3, what: "images");
        return (dims[0], dims[1], dims[2], data);
    }

    /// <summary>Reads a label file.</summary>
    /// <exception cref="DataFormatException">Not an IDX label file of unsigned bytes, or truncated.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static byte[] ReadLabels(string path) => Read(path, expectedRank: 1, what: "labels").Data;

    /// <summary>Opens an image file and reads its header only; <see cref="Reader.ReadRecord"/> then reads one image at a time.</summary>
    /// <exception cref="DataFormatException">Not an IDX image file of unsigned bytes, or (plain files) truncated.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    internal static Reader OpenImages(string path) => Reader.Open(path, expectedRank: 3, what: "images");

    /// <summary>Opens a label file and reads its header only; <see cref="Reader.ReadRecord"/> then reads one label at a time.</summary>
    /// <exception cref="DataFormatException">Not an IDX label file of unsigned bytes, or (plain files) truncated.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    internal static Reader OpenLabels(string path) => Reader.Open(path, expectedRank: 1, what: "labels");

    private static (int[] Dims, byte[] Data) Read(string path, int expectedRank, string what)
    {
        using var reader = Reader.Open(path, expectedRank, what);
        return (reader.Dimensions, reader.ReadToEnd());
    }

    /// <summary>Checks the magic number, element type and rank, reads the dimensions and, when the length of the file is
    /// known (not gzip), checks that the data the header promises is there before anything is allocated.</summary>
    private static int[] ReadHeader(Stream stream, string path, int expectedRank, string what, long? fileLength)
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
        return dims;
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

    /// <summary>An open IDX file past its header. The first dimension counts the records (images or labels); a record
    /// is the product of the others (rows·columns bytes for an image, one byte for a label).</summary>
    internal sealed class Reader : IDisposable
    {
        private const int BufferSize = 1 << 16;

        private readonly Stream stream;
        private readonly bool gzip;
        private readonly string what;
        private int recordsRead;

        private Reader(Stream stream, bool gzip, string path, string what, int[] dimensions, int recordLength)
        {
            this.stream = stream;
            this.gzip = gzip;
            this.what = what;
            Path = path;
            Dimensions = dimensions;
            RecordLength = recordLength;
        }

        /// <summary>The file, as given.</summary>
        public string Path { get; }

        /// <summary>The dimensions the header gives; the first is <see cref="Count"/>.</summary>
        public int[] Dimensions { get; }

        /// <summary>The number of records the header promises.</summary>
        public int Count => Dimensions[0];

        /// <summary>The bytes in one record.</summary>
        public int RecordLength { get; }

        internal static Reader Open(string path, int expectedRank, string what)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(path);
            if (!File.Exists(path))
                throw new FileNotFoundException($"IDX {what} file not found: {path}", path);
            var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.SequentialScan);
            Stream stream = file;
            try
            {
                Span<byte> head = stackalloc byte[4];
                int got = file.ReadAtLeast(head, 4, throwOnEndOfStream: false);
                file.Position = 0;
                bool gzip = got >= 2 && head[0] == 0x1f && head[1] == 0x8b;
                // Records are small (784 bytes, 1 byte): the buffer spares GZipStream one call per label.
                if (gzip)
                    stream = new BufferedStream(new GZipStream(file, CompressionMode.Decompress), BufferSize);
                int[] dims;
                try
                {
                    dims = ReadHeader(stream, path, expectedRank, what, gzip ? null : file.Length);
                }
                catch (InvalidDataException e)
                {
                    throw new DataFormatException(path, $"the gzip stream is corrupt ({e.Message})");
                }
                // With no records the header's total is 0 whatever the other dimensions claim: bound one record too.
                long recordLength = 1;
                for (int d = 1; d < dims.Length; d++)
                {
                    recordLength *= dims[d];
                    if (recordLength > int.MaxValue)
                        throw new DataFormatException(path, $"one record would hold more than {int.MaxValue:N0} values");
                }
                return new Reader(stream, gzip, path, what, dims, (int)recordLength);
            }
            catch
            {
                stream.Dispose();
                file.Dispose();
                throw;
            }
        }

        /// <summary>Reads the next record into <paramref name="record"/> (<see cref="RecordLength"/> bytes).</summary>
        /// <exception cref="InvalidOperationException">All <see cref="Count"/> records were read.</exception>
        /// <exception cref="DataFormatException">The file ends early or its gzip stream is corrupt.</exception>
        public void ReadRecord(Span<byte> record)
        {
            if (record.Length != RecordLength)
                throw new ArgumentException($"A record of {Path} is {RecordLength} bytes, not {record.Length}.", nameof(record));
            if (recordsRead >= Count)
                throw new InvalidOperationException($"All {Count:N0} {what} of {Path} were read.");
            int got;
            try
            {
                got = stream.ReadAtLeast(record, record.Length, throwOnEndOfStream: false);
            }
            catch (InvalidDataException e)
            {
                throw new DataFormatException(Path, $"the gzip stream is corrupt ({e.Message})");
            }
            if (got < record.Length)
                throw new DataFormatException(Path, $"truncated: the header promises {Count:N0} {what} but the data ends in record {recordsRead:N0}");
            recordsRead++;
        }

        /// <summary>Reads all the data after the header, as <see cref="ReadImages"/> and <see cref="ReadLabels"/> give it.</summary>
        internal byte[] ReadToEnd()
        {
            long total = (long)Count * RecordLength;
            try
            {
                byte[] data = gzip ? ReadGrowing(stream, total) : new byte[total];
                int read = gzip ? data.Length : stream.ReadAtLeast(data, data.Length, throwOnEndOfStream: false);
                if (read < total)
                    throw new DataFormatException(Path, $"truncated: the header promises {total:N0} bytes of {what} but only {read:N0} follow");
                recordsRead = Count;
                return data;
            }
            catch (InvalidDataException e)
            {
                throw new DataFormatException(Path, $"the gzip stream is corrupt ({e.Message})");
            }
        }

        /// <summary>Closes the file.</summary>
        public void Dispose() => stream.Dispose();
    }
}
