// ImageFile.cs — recognises an image format by its first bytes and hands the bytes to the matching decoder.
namespace DigitsML.Imaging;

/// <summary>Reads image files with bounded memory: a file larger than <see cref="MaxFileBytes"/> is refused before it is
/// read, and each decoder refuses more than <see cref="GrayImage.MaxPixels"/> pixels before allocating them.</summary>
internal static class ImageFile
{
    /// <summary>The largest file read: an uncompressed 64 Mpixel image as 32-bit BMP, or as ASCII PGM of short numbers.</summary>
    internal const long MaxFileBytes = 512L * 1024 * 1024;

    private static ReadOnlySpan<byte> PngSignature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="DataFormatException">The file is too large, of an unknown format or malformed.</exception>
    internal static GrayImage Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var info = new FileInfo(path);
        if (!info.Exists)
            throw new FileNotFoundException($"The image file '{path}' does not exist.", path);
        if (info.Length > MaxFileBytes)
            throw new DataFormatException(path, $"is {info.Length:N0} bytes; images larger than {MaxFileBytes:N0} bytes are refused");
        return Decode(File.ReadAllBytes(path), path);
    }

    /// <exception cref="DataFormatException">The data is of an unknown format or malformed.</exception>
    internal static GrayImage Decode(ReadOnlySpan<byte> data, string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (data.Length > MaxFileBytes)
            throw new DataFormatException(source, $"is {data.Length:N0} bytes; images larger than {MaxFileBytes:N0} bytes are refused");
        try
        {
            if (data.StartsWith(PngSignature))
                return new PngDecoder(data, source).Decode();
            if (data.Length >= 2 && data[0] == 'B' && data[1] == 'M')
                return new BmpDecoder(data, source).Decode();
            if (data.Length >= 2 && data[0] == 'P' && data[1] is (byte)'2' or (byte)'5')
                return new PgmDecoder(data, source).Decode();
            if (data.Length >= 2 && data[0] == 'P' && data[1] is >= (byte)'1' and <= (byte)'7')
                throw new DataFormatException(source, $"is a P{(char)data[1]} Netpbm file; only PGM (P2 and P5) is supported");
        }
        catch (Exception e) when (e is IndexOutOfRangeException or ArgumentException or OverflowException or InvalidDataException or InvalidOperationException)
        {
            // Defence in depth: every decoder checks lengths before reading, so reaching here is a decoder bug, but a
            // malformed file must still surface as a format error naming the file, never as a crash of the caller.
            throw new DataFormatException(source, $"is malformed ({e.GetType().Name}: {e.Message})");
        }
        throw new DataFormatException(source, data.IsEmpty
            ? "is empty"
            : "is not a PNG, PGM (P2/P5) or BMP image (its first bytes match none of them)");
    }
}
