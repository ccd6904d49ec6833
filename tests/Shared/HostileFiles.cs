// HostileFiles.cs — small files whose headers lie (a PNG claiming 100000 × 100000, a gzip IDX claiming millions of
// images): what readers must refuse or stream without allocating what the header claims. Compiled into each test project.
using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace DigitsML.Testing;

internal static class HostileFiles
{
    /// <summary>Writes a PNG of a few dozen bytes whose IHDR says <paramref name="width"/> × <paramref name="height"/>
    /// 8-bit grey pixels (valid CRCs, one IDAT of a few compressed zeros, IEND).</summary>
    public static string PngBomb(string path, int width = 100_000, int height = 100_000)
    {
        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth; colour type 0 (grey), compression, filter, interlace 0
        Chunk(png, "IHDR", header);
        using (var zlib = new MemoryStream())
        {
            using (var deflate = new ZLibStream(zlib, CompressionLevel.SmallestSize, leaveOpen: true))
                deflate.Write(new byte[16]);
            Chunk(png, "IDAT", zlib.ToArray());
        }
        Chunk(png, "IEND", []);
        File.WriteAllBytes(path, png.ToArray());
        return path;
    }

    /// <summary>A gzip IDX images file whose header claims <paramref name="claimed"/> 28 × 28 images and which holds
    /// <paramref name="held"/>, image i's pixels all <paramref name="step"/> · i (mod 256).</summary>
    public static string GzipIdxImages(string path, int claimed, int held, int step = 1)
    {
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        var header = new byte[16];
        header[2] = 0x08;
        header[3] = 3;
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), claimed);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(8), 28);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(12), 28);
        gzip.Write(header);
        for (int i = 0; i < held; i++)
            gzip.Write(Enumerable.Repeat((byte)(step * i), 28 * 28).ToArray());
        return path;
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        png.Write(word);
        byte[] typed = [.. Encoding.ASCII.GetBytes(type), .. data];
        png.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32(typed));
        png.Write(word);
    }

    private static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in bytes)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
        }
        return ~crc;
    }
}
