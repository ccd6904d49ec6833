// BmpDecoder.cs — Windows bitmaps: uncompressed 1/4/8/16/24/32-bit, bottom-up or top-down; compressed ones refused.
using System.Buffers.Binary;
using System.Numerics;

namespace DigitsML.Imaging;

/// <summary>Decodes one BMP: a 14-byte file header, a core (12-byte) or info (40 to 124-byte) header, a palette for 1, 4
/// and 8 bits, and rows padded to 4 bytes, bottom-up unless the height is negative. 16- and 32-bit pixels use the
/// header's bit fields (BI_BITFIELDS) or the defaults 5-5-5 and 8-8-8. The fourth byte of a 32-bit BI_RGB pixel is
/// reserved, not alpha, and is ignored as PIL and Windows do; an alpha mask in a V4/V5 header is honoured (laid over white).
/// RLE, JPEG and PNG compression are refused with a message that names them.</summary>
internal ref struct BmpDecoder
{
    private const int FileHeader = 14;

    private readonly ReadOnlySpan<byte> data;
    private readonly string source;

    internal BmpDecoder(ReadOnlySpan<byte> data, string source)
    {
        this.data = data;
        this.source = source;
    }

    internal readonly GrayImage Decode()
    {
        if (data.Length < FileHeader + 12)
            throw Fail($"is {data.Length} bytes, too short for its headers");
        uint pixelOffset = BinaryPrimitives.ReadUInt32LittleEndian(data[10..]);
        uint headerSize = BinaryPrimitives.ReadUInt32LittleEndian(data[FileHeader..]);
        if (headerSize is not (12 or 40 or 52 or 56 or 64 or 108 or 124) || FileHeader + headerSize > data.Length)
            throw Fail($"has an info header of {headerSize} bytes, which is not a BMP header size or runs past the end of the file");
        var info = data.Slice(FileHeader, (int)headerSize);
        bool core = headerSize == 12;
        long width = core ? BinaryPrimitives.ReadUInt16LittleEndian(info[4..]) : BinaryPrimitives.ReadInt32LittleEndian(info[4..]);
        long height = core ? BinaryPrimitives.ReadUInt16LittleEndian(info[6..]) : BinaryPrimitives.ReadInt32LittleEndian(info[8..]);
        int planes = BinaryPrimitives.ReadUInt16LittleEndian(info[(core ? 8 : 12)..]);
        int bits = BinaryPrimitives.ReadUInt16LittleEndian(info[(core ? 10 : 14)..]);
        uint compression = core ? 0 : BinaryPrimitives.ReadUInt32LittleEndian(info[16..]);
        bool topDown = height < 0;
        height = Math.Abs(height);
        if (width < 1 || height < 1)
            throw Fail($"declares a size of {width} × {height}; both sides must be at least 1");
        if (width * height > GrayImage.MaxPixels)
            throw Fail($"is {width} × {height} = {width * height:N0} pixels; at most {GrayImage.MaxPixels:N0} are accepted");
        if (planes != 1)
            throw Fail($"declares {planes} colour planes; BMP has exactly 1");
        string? refused = compression switch { 1 => "RLE8", 2 => "RLE4", 4 => "JPEG", 5 => "PNG", 0 or 3 or 6 => null, _ => $"unknown method {compression}" };
        if (refused is not null)
            throw Fail($"is compressed ({refused}); only uncompressed BMP (BI_RGB or BI_BITFIELDS) is supported — save it uncompressed or as PNG");
        if (bits is not (1 or 4 or 8 or 16 or 24 or 32))
            throw Fail($"has {bits} bits per pixel; 1, 4, 8, 16, 24 or 32 are supported");
        bool fields = compression is 3 or 6;
        if (fields && bits is not (16 or 32))
            throw Fail($"uses bit fields with {bits} bits per pixel; bit fields need 16 or 32");

        var masks = Masks(info, headerSize, bits, fields, out int afterHeader);
        float[]? palette = bits <= 8 ? Palette(info, core, bits, afterHeader, pixelOffset) : null;

        long stride = (width * bits + 31) / 32 * 4;
        if (pixelOffset < afterHeader || pixelOffset > data.Length || stride * height > data.Length - pixelOffset)
            throw Fail($"holds {Math.Max(0, data.Length - pixelOffset):N0} bytes of pixels from byte {pixelOffset} where {width} × {height} at {bits} bits needs {stride * height:N0} (the file is truncated or its offset is wrong)");

        int w = (int)width, h = (int)height;
        var grey = new float[w * h];
        for (int y = 0; y < h; y++)
        {
            var row = data.Slice((int)(pixelOffset + stride * (topDown ? y : h - 1 - y)), (int)stride);
            for (int x = 0; x < w; x++)
                grey[y * w + x] = bits switch
                {
                    <= 8 => PaletteGrey(palette!, row, x, bits),
                    24 => PngDecoder.Luma(row[3 * x + 2], row[3 * x + 1], row[3 * x], 255),
                    16 => masks.Grey(BinaryPrimitives.ReadUInt16LittleEndian(row[(2 * x)..])),
                    _ => masks.Grey(BinaryPrimitives.ReadUInt32LittleEndian(row[(4 * x)..])),
                };
        }
        return new GrayImage(w, h, grey, owned: true);
    }

    /// <summary>The channel masks of 16- and 32-bit pixels, and the offset where the palette or masks end.</summary>
    private readonly BitFields Masks(ReadOnlySpan<byte> info, uint headerSize, int bits, bool fields, out int afterHeader)
    {
        afterHeader = FileHeader + (int)headerSize;
        if (!fields)
            return bits == 16 ? new BitFields(0x7C00, 0x03E0, 0x001F, 0) : new BitFields(0xFF0000, 0xFF00, 0xFF, 0);
        ReadOnlySpan<byte> m;
        if (headerSize >= 52)
            m = info[40..];
        else
        {
            // A 40-byte header is followed by the three masks (BI_BITFIELDS) or four (BI_ALPHABITFIELDS).
            int count = data[FileHeader + 16] == 6 ? 16 : 12;
            if (afterHeader + count > data.Length)
                throw Fail("ends inside its bit-field masks");
            m = data.Slice(afterHeader, count);
            afterHeader += count;
        }
        uint alpha = m.Length >= 16 ? BinaryPrimitives.ReadUInt32LittleEndian(m[12..]) : 0;
        var masks = new BitFields(BinaryPrimitives.ReadUInt32LittleEndian(m), BinaryPrimitives.ReadUInt32LittleEndian(m[4..]),
            BinaryPrimitives.ReadUInt32LittleEndian(m[8..]), alpha);
        if (!masks.Valid(bits))
            throw Fail("has bit-field masks that are empty, overlap or do not fit the pixel size");
        return masks;
    }

    private readonly float[] Palette(ReadOnlySpan<byte> info, bool core, int bits, int start, uint pixelOffset)
    {
        uint used = core || info.Length < 36 ? 0 : BinaryPrimitives.ReadUInt32LittleEndian(info[32..]);
        int entry = core ? 3 : 4;
        long colours = used == 0 ? 1 << bits : used;
        if (colours > 1 << bits)
            throw Fail($"declares {used} palette colours for {bits}-bit pixels, more than {1 << bits}");
        if (start + colours * entry > Math.Min(data.Length, pixelOffset))
            throw Fail($"has a palette of {colours} colours that runs past the start of the pixels or the end of the file");
        var grey = new float[colours];
        for (int i = 0; i < colours; i++)
        {
            var c = data.Slice(start + i * entry, 3);
            grey[i] = PngDecoder.Luma(c[2], c[1], c[0], 255);
        }
        return grey;
    }

    private readonly float PaletteGrey(float[] palette, ReadOnlySpan<byte> row, int x, int bits)
    {
        int bit = x * bits, index = row[bit >> 3] >> (8 - bits - (bit & 7)) & ((1 << bits) - 1);
        return index < palette.Length ? palette[index] : throw Fail($"uses palette index {index} but its palette has {palette.Length} colours");
    }

    private readonly DataFormatException Fail(string message) => new(source, "BMP " + message);

    /// <summary>Where each channel lives in a 16- or 32-bit pixel.</summary>
    private readonly record struct BitFields(uint Red, uint Green, uint Blue, uint Alpha)
    {
        internal bool Valid(int bits)
        {
            uint limit = bits == 16 ? 0xFFFFu : 0xFFFFFFFFu;
            uint[] all = [Red, Green, Blue, Alpha];
            return Red != 0 && Green != 0 && Blue != 0 && all.All(m => (m & ~limit) == 0 && IsContiguous(m))
                && (Red & Green) == 0 && (Red & Blue) == 0 && (Green & Blue) == 0 && ((Red | Green | Blue) & Alpha) == 0;
        }

        private static bool IsContiguous(uint mask) => mask == 0 || BitOperations.PopCount(mask) == 32 - BitOperations.LeadingZeroCount(mask) - BitOperations.TrailingZeroCount(mask);

        internal float Grey(uint pixel)
        {
            float grey = (0.299f * Channel(pixel, Red) + 0.587f * Channel(pixel, Green) + 0.114f * Channel(pixel, Blue));
            return Alpha == 0 ? Math.Clamp(grey, 0, 1) : PngDecoder.OverWhite(Math.Clamp(grey, 0, 1), Channel(pixel, Alpha));
        }

        private static float Channel(uint pixel, uint mask)
        {
            int shift = BitOperations.TrailingZeroCount(mask);
            return (float)((pixel & mask) >> shift) / (mask >> shift);
        }
    }
}
