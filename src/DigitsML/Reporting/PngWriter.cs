// PngWriter.cs — encodes grey images as PNG (8-bit, no interlace) so reports can embed them as data URIs.
using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using DigitsML.Imaging;

namespace DigitsML.Reporting;

internal static class PngWriter
{
    private static readonly byte[] Signature = [137, 80, 78, 71, 13, 10, 26, 10];

    /// <summary>Encodes <paramref name="values"/> (row-major, 0 = black, 1 = white, clamped) of a width × height image.</summary>
    internal static byte[] EncodeGray(int width, int height, ReadOnlySpan<float> values)
    {
        if (width < 1 || height < 1 || values.Length != width * height)
            throw new ArgumentException($"A {width} × {height} image needs {width * height} values; {values.Length} were given.");
        var raw = new byte[height * (width + 1)];  // each row: filter type 0, then its bytes
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                raw[y * (width + 1) + 1 + x] = (byte)Math.Round(Math.Clamp(values[y * width + x], 0f, 1f) * 255f);
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            zlib.Write(raw);

        using var png = new MemoryStream();
        png.Write(Signature);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8;  // bit depth; colour type 0 (grey), compression, filter and interlace 0
        WriteChunk(png, "IHDR", header);
        WriteChunk(png, "IDAT", compressed.ToArray());
        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>The image as a <c>data:image/png;base64,…</c> URI.</summary>
    internal static string DataUri(int width, int height, ReadOnlySpan<float> values) =>
        "data:image/png;base64," + Convert.ToBase64String(EncodeGray(width, height, values));

    private static void WriteChunk(Stream output, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        output.Write(word);
        var typed = new byte[4 + data.Length];
        Encoding.ASCII.GetBytes(type, typed);
        data.CopyTo(typed.AsSpan(4));
        output.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32.Compute(typed));
        output.Write(word);
    }
}
