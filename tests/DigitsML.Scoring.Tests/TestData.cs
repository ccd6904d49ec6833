// TestData.cs — where the scoring tests find MNIST (fetched by build/setup.sh), temporary folders and small IDX files.
using System.Buffers.Binary;
using System.IO.Compression;
using DigitsML.Testing;

namespace DigitsML.Scoring.Tests;

internal static class TestData
{
    /// <summary>The MNIST folder build/setup.sh fills (tests/Shared/MnistFiles.cs says where).</summary>
    public static string MnistDirectory => MnistFiles.Directory;

    public static string TestImages => MnistFiles.TestImages;
    public static string TestLabels => MnistFiles.TestLabels;

    /// <summary>An IDX file of unsigned bytes: 00 00 08, the rank, big-endian dimensions, then <paramref name="body"/>.</summary>
    public static string WriteIdx(string folder, string name, int[] dims, ReadOnlySpan<byte> body, byte type = 0x08)
    {
        var bytes = new byte[4 + 4 * dims.Length + body.Length];
        bytes[2] = type;
        bytes[3] = (byte)dims.Length;
        for (int d = 0; d < dims.Length; d++)
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * d), dims[d]);
        body.CopyTo(bytes.AsSpan(4 + 4 * dims.Length));
        string path = Path.Combine(folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>A gzip copy of <paramref name="source"/>, cut to its first <paramref name="keepBytes"/> bytes when asked.</summary>
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

    /// <summary>A temporary folder removed when the returned object is disposed.</summary>
    public static TemporaryDirectory CreateTemporaryDirectory() => new();

    public sealed class TemporaryDirectory : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("digitsml-scoring-test-").FullName;

        public void Dispose()
        {
            try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
        }
    }
}
