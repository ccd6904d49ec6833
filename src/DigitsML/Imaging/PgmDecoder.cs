// PgmDecoder.cs — Netpbm greymaps: binary (P5) and ASCII (P2), 8- or 16-bit samples (maxval up to 65535).
using System.Buffers.Binary;

namespace DigitsML.Imaging;

/// <summary>Decodes one PGM image (the Netpbm specification): a header of magic, width, height and maxval separated by
/// whitespace and '#' comments, then the samples, each divided by maxval. P5 samples are bytes when maxval &lt; 256 and
/// big-endian 16-bit words otherwise; data after the first image (a multi-image P5 file) is ignored.</summary>
internal ref struct PgmDecoder
{
    private const int MaxDigits = 9; // a header number or ASCII sample never needs more, and 9 digits cannot overflow int

    private readonly ReadOnlySpan<byte> data;
    private readonly string source;
    private int position;

    internal PgmDecoder(ReadOnlySpan<byte> data, string source)
    {
        this.data = data;
        this.source = source;
        position = 2;
    }

    internal GrayImage Decode()
    {
        bool binary = data[1] == '5';
        int width = Number("width"), height = Number("height"), maxval = Number("maxval");
        if (width < 1 || height < 1)
            throw Fail($"declares a size of {width} × {height}; both sides must be at least 1");
        if ((long)width * height > GrayImage.MaxPixels)
            throw Fail($"is {width} × {height} = {(long)width * height:N0} pixels; at most {GrayImage.MaxPixels:N0} are accepted");
        if (maxval is < 1 or > 65535)
            throw Fail($"declares maxval {maxval}; it must be between 1 and 65535");
        int count = width * height;
        if (binary)
        {
            // Exactly one whitespace byte separates the header from the raster.
            if (position >= data.Length || !IsSpace(data[position]))
                throw Fail("has no whitespace between maxval and the pixels");
            position++;
            int size = maxval < 256 ? 1 : 2;
            if ((long)count * size > data.Length - position)
                throw Fail($"holds {data.Length - position:N0} bytes of pixels where {width} × {height} needs {(long)count * size:N0} (the file is truncated)");
        }
        var grey = new float[count];
        for (int i = 0; i < count; i++)
        {
            int sample;
            if (!binary)
                sample = Number("pixel");
            else if (maxval < 256)
                sample = data[position++];
            else
            {
                sample = BinaryPrimitives.ReadUInt16BigEndian(data[position..]);
                position += 2;
            }
            if (sample > maxval)
                throw Fail($"has pixel {i} (row {i / width}, column {i % width}) of value {sample}, above maxval {maxval}");
            grey[i] = (float)sample / maxval;
        }
        return new GrayImage(width, height, grey, owned: true);
    }

    /// <summary>The next decimal number, after whitespace and comments (comments only occur in the header, but skipping
    /// them between ASCII samples too is what other readers do).</summary>
    private int Number(string what)
    {
        while (position < data.Length)
        {
            if (IsSpace(data[position]))
                position++;
            else if (data[position] == '#')
                while (position < data.Length && data[position] is not (byte)'\n' and not (byte)'\r')
                    position++;
            else
                break;
        }
        if (position >= data.Length)
            throw Fail($"ends where its {what} should be (the file is truncated)");
        int start = position, value = 0;
        while (position < data.Length && char.IsAsciiDigit((char)data[position]))
        {
            if (position - start == MaxDigits)
                throw Fail($"has a {what} of more than {MaxDigits} digits at byte {start}");
            value = value * 10 + (data[position++] - '0');
        }
        if (position == start)
            throw Fail($"has '{(char)data[position]}' at byte {position} where its {what} (a decimal number) should be");
        if (position < data.Length && !IsSpace(data[position]) && data[position] != '#')
            throw Fail($"has '{(char)data[position]}' at byte {position} right after its {what}");
        return value;
    }

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or 0x0B or 0x0C;

    private readonly DataFormatException Fail(string message) => new(source, $"PGM (P{(char)data[1]}) " + message);
}
