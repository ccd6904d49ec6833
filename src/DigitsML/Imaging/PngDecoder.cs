// PngDecoder.cs — PNG to grey levels: every colour type and bit depth, Adam7, all five filters, CRCs checked.
using System.Buffers.Binary;
using System.IO.Compression;

namespace DigitsML.Imaging;

/// <summary>Decodes one PNG (ISO/IEC 15948). Never trusts a length: each chunk is bounds-checked and its CRC verified, the
/// pixel count is capped before anything is allocated, and inflation stops at exactly the byte count the header implies.
/// Transparency (alpha or tRNS) is laid over white. Ancillary chunks other than tRNS (gamma, colour profiles, text) are
/// skipped, as most viewers that do not manage colour do.</summary>
internal ref struct PngDecoder
{
    private const int Grey = 0, Rgb = 2, Palette = 3, GreyAlpha = 4, Rgba = 6;

    // Adam7 passes: first column, first row, column step, row step.
    private static ReadOnlySpan<byte> Adam7 => [0, 0, 8, 8, 4, 0, 8, 8, 0, 4, 4, 8, 2, 0, 4, 4, 0, 2, 2, 4, 1, 0, 2, 2, 0, 1, 1, 2];

    // Not interlaced: the whole image as one pass.
    private static ReadOnlySpan<byte> Whole => [0, 0, 1, 1];

    private readonly ReadOnlySpan<byte> data;
    private readonly string source;
    private int width, height, depth, colourType, channels;
    private bool interlaced;
    private float[]? paletteGrey, paletteAlpha;
    private int transparentGrey = -1, transparentR = -1, transparentG = -1, transparentB = -1;

    internal PngDecoder(ReadOnlySpan<byte> data, string source)
    {
        this.data = data;
        this.source = source;
    }

    internal GrayImage Decode()
    {
        int position = 8;
        bool header = false, ended = false;
        var compressed = new MemoryStream();
        string previous = "";
        while (!ended)
        {
            if (data.Length - position < 12)
                throw Fail(header ? "ends before its IEND chunk (the file is truncated)" : "ends before its IHDR chunk");
            uint length = BinaryPrimitives.ReadUInt32BigEndian(data[position..]);
            var typeBytes = data.Slice(position + 4, 4);
            foreach (byte b in typeBytes)
                if (!char.IsAsciiLetter((char)b))
                    throw Fail($"has a chunk at byte {position} whose type is not four letters (the file is corrupt)");
            string type = System.Text.Encoding.ASCII.GetString(typeBytes);
            if (length > int.MaxValue || length > data.Length - position - 12)
                throw Fail($"chunk {type} at byte {position} claims {length:N0} bytes but the file has only {Math.Max(0, data.Length - position - 12):N0} left");
            var body = data.Slice(position + 8, (int)length);
            uint stored = BinaryPrimitives.ReadUInt32BigEndian(data[(position + 8 + (int)length)..]);
            if (Crc32.Compute(data.Slice(position + 4, 4 + (int)length)) != stored)
                throw Fail($"chunk {type} at byte {position} fails its CRC check (the file is corrupt)");
            position += 12 + (int)length;
            if (!header && type != "IHDR")
                throw Fail($"begins with chunk {type}; IHDR must come first");
            switch (type)
            {
                case "IHDR":
                    if (header)
                        throw Fail("has two IHDR chunks");
                    ReadHeader(body);
                    header = true;
                    break;
                case "PLTE":
                    ReadPalette(body, compressed.Length > 0);
                    break;
                case "tRNS":
                    ReadTransparency(body, compressed.Length > 0);
                    break;
                case "IDAT":
                    if (compressed.Length > 0 && previous != "IDAT")
                        throw Fail("has IDAT chunks that are not consecutive");
                    compressed.Write(body);
                    break;
                case "IEND":
                    ended = true;
                    break;
                default:
                    // Bit 5 of the first letter clear marks a critical chunk: one we cannot skip and still show the image.
                    if ((typeBytes[0] & 0x20) == 0)
                        throw Fail($"has critical chunk {type}, which this decoder does not know");
                    break;
            }
            previous = type;
        }
        if (compressed.Length == 0)
            throw Fail("has no IDAT chunk (no image data)");
        if (colourType == Palette && paletteGrey is null)
            throw Fail("is a palette image without a PLTE chunk");
        return new GrayImage(width, height, Pixels(Inflate(compressed)), owned: true);
    }

    private void ReadHeader(ReadOnlySpan<byte> body)
    {
        if (body.Length != 13)
            throw Fail($"has an IHDR chunk of {body.Length} bytes; it must have 13");
        uint w = BinaryPrimitives.ReadUInt32BigEndian(body), h = BinaryPrimitives.ReadUInt32BigEndian(body[4..]);
        if (w == 0 || h == 0 || w > int.MaxValue || h > int.MaxValue)
            throw Fail($"declares a size of {w} × {h}; both sides must be between 1 and 2³¹ − 1");
        if ((ulong)w * h > GrayImage.MaxPixels)
            throw Fail($"is {w} × {h} = {(ulong)w * h:N0} pixels; at most {GrayImage.MaxPixels:N0} are accepted");
        (width, height, depth, colourType) = ((int)w, (int)h, body[8], body[9]);
        bool valid = colourType switch
        {
            Grey => depth is 1 or 2 or 4 or 8 or 16,
            Palette => depth is 1 or 2 or 4 or 8,
            Rgb or GreyAlpha or Rgba => depth is 8 or 16,
            _ => false,
        };
        if (!valid)
            throw Fail($"declares colour type {colourType} with bit depth {depth}, which PNG does not allow");
        channels = colourType switch { Rgb => 3, GreyAlpha => 2, Rgba => 4, _ => 1 };
        if (body[10] != 0 || body[11] != 0)
            throw Fail($"declares compression method {body[10]} and filter method {body[11]}; only 0 and 0 exist");
        if (body[12] > 1)
            throw Fail($"declares interlace method {body[12]}; only 0 (none) and 1 (Adam7) exist");
        interlaced = body[12] == 1;
    }

    private void ReadPalette(ReadOnlySpan<byte> body, bool afterData)
    {
        if (afterData || paletteGrey is not null)
            throw Fail("has a PLTE chunk after the image data or a second PLTE chunk");
        int entries = body.Length / 3;
        if (body.Length % 3 != 0 || entries is 0 or > 256 || (colourType == Palette && entries > 1 << depth))
            throw Fail($"has a PLTE chunk of {body.Length} bytes, not 1 to {(colourType == Palette ? 1 << depth : 256)} RGB entries");
        if (colourType is Grey or GreyAlpha)
            throw Fail("is a grey image with a PLTE chunk, which PNG forbids");
        paletteGrey = new float[entries];
        for (int i = 0; i < entries; i++)
            paletteGrey[i] = Luma(body[3 * i], body[3 * i + 1], body[3 * i + 2], 255);
    }

    private void ReadTransparency(ReadOnlySpan<byte> body, bool afterData)
    {
        if (afterData)
            throw Fail("has a tRNS chunk after the image data");
        switch (colourType)
        {
            case Palette:
                if (paletteGrey is null || body.Length > paletteGrey.Length)
                    throw Fail($"has a tRNS chunk of {body.Length} alphas before PLTE or for a palette of {paletteGrey?.Length ?? 0} colours");
                paletteAlpha = new float[paletteGrey.Length];
                for (int i = 0; i < paletteAlpha.Length; i++)
                    paletteAlpha[i] = i < body.Length ? body[i] / 255f : 1;
                break;
            case Grey when body.Length == 2:
                transparentGrey = BinaryPrimitives.ReadUInt16BigEndian(body);
                break;
            case Rgb when body.Length == 6:
                (transparentR, transparentG, transparentB) = (BinaryPrimitives.ReadUInt16BigEndian(body),
                    BinaryPrimitives.ReadUInt16BigEndian(body[2..]), BinaryPrimitives.ReadUInt16BigEndian(body[4..]));
                break;
            default:
                throw Fail($"has a tRNS chunk of {body.Length} bytes, which colour type {colourType} does not allow");
        }
    }

    /// <summary>The filtered scanlines, exactly as many bytes as the header implies, inflated from the IDAT stream.</summary>
    private readonly byte[] Inflate(MemoryStream compressed)
    {
        long expected = 0;
        for (int pass = 0; pass < (interlaced ? 7 : 1); pass++)
        {
            var (w, h) = PassSize(pass);
            if (w > 0 && h > 0)
                expected += h * (1 + RowBytes(w));
        }
        var result = new byte[expected]; // ≤ 64 Mpixel × 8 bytes + rows: bounded by the pixel cap
        compressed.Position = 0;
        try
        {
            using var inflater = new ZLibStream(compressed, CompressionMode.Decompress);
            int read = 0;
            while (read < result.Length)
            {
                int n = inflater.Read(result, read, result.Length - read);
                if (n == 0)
                    throw Fail($"has {read:N0} bytes of image data where its header implies {expected:N0} (the data is truncated)");
                read += n;
            }
            if (inflater.Read(new byte[1], 0, 1) != 0)
                throw Fail($"has more image data than the {expected:N0} bytes its header implies");
        }
        catch (InvalidDataException e)
        {
            throw Fail($"has corrupt compressed image data ({e.Message})");
        }
        return result;
    }

    private readonly (long Width, long Height) PassSize(int pass)
    {
        if (!interlaced)
            return (width, height);
        var p = Adam7.Slice(pass * 4, 4);
        return ((width - p[0] + p[2] - 1L) / p[2], (height - p[1] + p[3] - 1L) / p[3]);
    }

    private readonly long RowBytes(long pixels) => (pixels * channels * depth + 7) / 8;

    /// <summary>Undoes the filters pass by pass and places each pixel's grey level.</summary>
    private readonly float[] Pixels(byte[] filtered)
    {
        var grey = new float[width * height];
        int bytesPerPixel = Math.Max(1, channels * depth / 8), offset = 0;
        for (int pass = 0; pass < (interlaced ? 7 : 1); pass++)
        {
            var (pw, ph) = PassSize(pass);
            if (pw == 0 || ph == 0)
                continue;
            int rowBytes = (int)RowBytes(pw);
            var p = interlaced ? Adam7.Slice(pass * 4, 4) : Whole;
            var prior = new byte[rowBytes];
            for (int y = 0; y < ph; y++)
            {
                byte filter = filtered[offset];
                var row = filtered.AsSpan(offset + 1, rowBytes);
                Unfilter(filter, row, prior, bytesPerPixel, y);
                int target = (p[1] + y * p[3]) * width + p[0];
                for (int x = 0; x < pw; x++, target += p[2])
                    grey[target] = Pixel(row, x);
                row.CopyTo(prior);
                offset += 1 + rowBytes;
            }
        }
        return grey;
    }

    private readonly void Unfilter(byte filter, Span<byte> row, ReadOnlySpan<byte> prior, int bpp, int y)
    {
        switch (filter)
        {
            case 0:
                break;
            case 1: // Sub
                for (int i = bpp; i < row.Length; i++)
                    row[i] += row[i - bpp];
                break;
            case 2: // Up
                for (int i = 0; i < row.Length; i++)
                    row[i] += prior[i];
                break;
            case 3: // Average
                for (int i = 0; i < row.Length; i++)
                    row[i] += (byte)(((i >= bpp ? row[i - bpp] : 0) + prior[i]) >> 1);
                break;
            case 4: // Paeth
                for (int i = 0; i < row.Length; i++)
                    row[i] += Paeth(i >= bpp ? row[i - bpp] : (byte)0, prior[i], i >= bpp ? prior[i - bpp] : (byte)0);
                break;
            default:
                throw Fail($"row {y} has filter type {filter}; only 0 to 4 exist");
        }
    }

    private static byte Paeth(byte a, byte b, byte c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    /// <summary>Sample <paramref name="index"/> of a row: a big-endian 16-bit value, a byte, or a packed 1/2/4-bit field.</summary>
    private readonly int Sample(ReadOnlySpan<byte> row, int index)
    {
        if (depth == 16)
            return row[2 * index] << 8 | row[2 * index + 1];
        if (depth == 8)
            return row[index];
        int bit = index * depth;
        return row[bit >> 3] >> (8 - depth - (bit & 7)) & ((1 << depth) - 1);
    }

    private readonly float Pixel(ReadOnlySpan<byte> row, int x)
    {
        float max = (1 << depth) - 1;
        int first = x * channels;
        switch (colourType)
        {
            case Grey:
                int g = Sample(row, first);
                return g == transparentGrey ? 1 : g / max;
            case Rgb:
                int r = Sample(row, first), gr = Sample(row, first + 1), b = Sample(row, first + 2);
                return r == transparentR && gr == transparentG && b == transparentB ? 1 : Luma(r, gr, b, max);
            case Palette:
                int index = Sample(row, first);
                if (index >= paletteGrey!.Length)
                    throw Fail($"uses palette index {index} but its palette has {paletteGrey.Length} colours");
                return OverWhite(paletteGrey[index], paletteAlpha is null ? 1 : paletteAlpha[index]);
            case GreyAlpha:
                return OverWhite(Sample(row, first) / max, Sample(row, first + 1) / max);
            default:
                return OverWhite(Luma(Sample(row, first), Sample(row, first + 1), Sample(row, first + 2), max), Sample(row, first + 3) / max);
        }
    }

    /// <summary>BT.601 luma, the weights PIL's "L" conversion uses, of samples on a 0..<paramref name="max"/> scale.</summary>
    internal static float Luma(int r, int g, int b, float max) => Math.Clamp((0.299f * r + 0.587f * g + 0.114f * b) / max, 0, 1);

    /// <summary>A grey of coverage <paramref name="alpha"/> laid over white paper.</summary>
    internal static float OverWhite(float grey, float alpha) => Math.Clamp(grey * alpha + (1 - alpha), 0, 1);

    private readonly DataFormatException Fail(string message) => new(source, "PNG " + message);
}
