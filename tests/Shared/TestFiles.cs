// TestFiles.cs — files the tests make: temporary folders, small IDX files, gzip copies; compiled into each test project.
using System.Buffers.Binary;
using System.IO.Compression;

namespace DigitsML.Testing;

/// <summary>A temporary folder, removed when disposed.</summary>
internal sealed class TemporaryDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("digitsml-test-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}

internal static class TestFiles
{
    /// <summary>Writes an IDX file: 00 00, the element <paramref name="type"/> (0x08: unsigned bytes), the rank, the
    /// big-endian dimensions, then <paramref name="body"/>.</summary>
    public static string WriteIdx(string path, int[] dims, ReadOnlySpan<byte> body, byte type = 0x08)
    {
        var bytes = new byte[4 + 4 * dims.Length + body.Length];
        bytes[2] = type;
        bytes[3] = (byte)dims.Length;
        for (int d = 0; d < dims.Length; d++)
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * d), dims[d]);
        body.CopyTo(bytes.AsSpan(4 + 4 * dims.Length));
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>A gzip copy of <paramref name="source"/> at <paramref name="path"/>, cut to its first
    /// <paramref name="keepBytes"/> bytes when asked.</summary>
    public static string GzipCopy(string source, string path, int keepBytes = int.MaxValue)
    {
        using (var output = File.Create(path))
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        using (var input = File.OpenRead(source))
            input.CopyTo(gzip);
        if (keepBytes < new FileInfo(path).Length)
            File.WriteAllBytes(path, File.ReadAllBytes(path).AsSpan(0, keepBytes).ToArray());
        return path;
    }
}
