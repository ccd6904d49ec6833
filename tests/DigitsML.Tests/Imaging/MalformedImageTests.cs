// MalformedImageTests.cs — hardened decoding: every broken file raises DataFormatException naming the file, quickly.
using System.Buffers.Binary;
using System.Diagnostics;
using DigitsML.Imaging;
using DigitsML.Testing;

namespace DigitsML.Tests.Imaging;

public sealed class MalformedImageTests
{
    private static readonly string[] seeds =
        ["png_rgba16_adam7.png", "png_palette4_trns_adam7.png", "png_grey8_pil.png", "pgm_p5_16.pgm", "pgm_p2_1000.pgm",
         "bmp_4.bmp", "bmp_32_alpha_v5.bmp", "bmp_16_565.bmp", "bmp_24_pil.bmp"];

    private static byte[] Bytes(string name) => File.ReadAllBytes(ImageFixtures.Format(name));

    private static DataFormatException Refused(byte[] data, string source = "broken.img")
    {
        var e = Assert.Throws<DataFormatException>(() => GrayImage.Decode(data, source))!;
        Assert.That(e.Message, Does.StartWith(source + ": "));
        return e;
    }

    /// <summary>Decodes or raises DataFormatException; anything else (or a hang) fails the test.</summary>
    private static void DecodesOrRefuses(byte[] data, string what)
    {
        try
        {
            var image = GrayImage.Decode(data, what);
            Assert.That(image.Pixels.ToArray(), Has.All.InRange(0f, 1f), what);
        }
        catch (DataFormatException e)
        {
            Assert.That(e.Message, Does.StartWith(what + ": "));
        }
    }

    [TestCaseSource(nameof(seeds))]
    public void Decode_EveryTruncation_Refused(string name)
    {
        var data = Bytes(name);
        // An ASCII file cut inside its last number still holds a (smaller) number there, so for P2 cut only before it.
        int end = name.StartsWith("pgm_p2", StringComparison.Ordinal) ? Array.LastIndexOf(data, (byte)' ') + 1 : data.Length;
        for (int length = 0; length < end; length++)
            Refused(data[..length], $"{name}[..{length}]");
    }

    [TestCaseSource(nameof(seeds))]
    public void Decode_RandomCorruption_DecodesOrRefusesQuickly(string name)
    {
        var data = Bytes(name);
        var random = new Random(42);
        var clock = Stopwatch.StartNew();
        for (int trial = 0; trial < 300; trial++)
        {
            var copy = (byte[])data.Clone();
            for (int k = random.Next(1, 4); k > 0; k--)
                copy[random.Next(copy.Length)] = (byte)random.Next(256);
            DecodesOrRefuses(copy, $"{name}#{trial}");
        }
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)), "corrupt files must not make decoding slow");
    }

    [Test]
    public void Decode_PngBadCrc_RefusedNamingChunk()
    {
        var data = Bytes("png_grey8_pil.png");
        data[20] ^= 1; // inside IHDR's width
        Assert.That(Refused(data).Message, Does.Contain("IHDR").And.Contain("CRC"));
    }

    [Test]
    public void Decode_PngHugeDimensions_RefusedBeforeAllocating()
    {
        var data = Bytes("png_grey8_pil.png");
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(16), 100_000);
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(20), 100_000);
        FixCrc(data, 8);
        var before = GC.GetAllocatedBytesForCurrentThread();
        Assert.That(Refused(data).Message, Does.Contain("10,000,000,000 pixels"));
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.LessThan(1_000_000));
    }

    [Test]
    public void Decode_PngExtraOrMissingData_Refused()
    {
        var data = Bytes("png_grey8_pil.png");
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(20), 10); // 11 rows declared → fewer: the data is longer than implied
        FixCrc(data, 8);
        Assert.That(Refused(data).Message, Does.Contain("more image data"));
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(20), 12); // more rows than stored
        FixCrc(data, 8);
        Assert.That(Refused(data).Message, Does.Contain("truncated"));
    }

    [Test]
    public void Decode_PngUnknownCriticalChunk_Refused()
    {
        var data = Bytes("png_grey8_pil.png");
        var chunk = MakeChunk("ZZZZ"u8, [1, 2, 3]);
        var spliced = data[..33].Concat(chunk).Concat(data[33..]).ToArray(); // after IHDR
        Assert.That(Refused(spliced).Message, Does.Contain("critical chunk ZZZZ"));
        var ancillary = data[..33].Concat(MakeChunk("zzZz"u8, [1])).Concat(data[33..]).ToArray();
        Assert.That(GrayImage.Decode(ancillary, "ok.png"), Is.EqualTo(GrayImage.Decode(data, "ok.png")));
    }

    [Test]
    public void Decode_PngChunkLengthBeyondFile_Refused()
    {
        var data = Bytes("png_grey8_pil.png");
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(33), 0x7FFF_FFF0);
        Assert.That(Refused(data).Message, Does.Contain("claims"));
    }

    [TestCase(1, "RLE8")]
    [TestCase(2, "RLE4")]
    [TestCase(4, "JPEG")]
    [TestCase(5, "PNG")]
    public void Decode_CompressedBmp_RefusedNamingCompression(int compression, string named)
    {
        var data = Bytes("bmp_4.bmp");
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(30), (uint)compression);
        Assert.That(Refused(data).Message, Does.Contain($"compressed ({named})"));
    }

    [Test]
    public void Decode_BmpPixelOffsetBeyondFile_Refused()
    {
        var data = Bytes("bmp_24_pil.bmp");
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(10), 0xFFFF_FF00);
        Assert.That(Refused(data).Message, Does.Contain("truncated or its offset is wrong"));
    }

    [Test]
    public void Decode_BmpPaletteIndexBeyondPalette_Refused()
    {
        var data = Bytes("bmp_4.bmp");
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(46), 2); // 2 colours used, pixels use up to 15
        Assert.That(Refused(data).Message, Does.Contain("palette index"));
    }

    [Test]
    public void Decode_PgmSampleAboveMaxval_RefusedNamingPixel()
    {
        Assert.That(Refused("P2 2 1 3 1 4"u8.ToArray()).Message, Does.Contain("pixel 1").And.Contain("above maxval 3"));
        Assert.That(Refused("P5 1 1 0 x"u8.ToArray()).Message, Does.Contain("maxval 0"));
        Assert.That(Refused("P2 99999999999 1 255"u8.ToArray()).Message, Does.Contain("more than 9 digits"));
        Assert.That(Refused("P2 2 -1 255"u8.ToArray()).Message, Does.Contain("height"));
    }

    [Test]
    public void Decode_UnknownOrOtherFormats_RefusedClearly()
    {
        Assert.That(Refused([]).Message, Does.Contain("is empty"));
        Assert.That(Refused("GIF89a"u8.ToArray()).Message, Does.Contain("not a PNG, PGM (P2/P5) or BMP"));
        Assert.That(Refused("P6 1 1 255 abc"u8.ToArray()).Message, Does.Contain("only PGM"));
    }

    [Test]
    public void Load_MissingFile_ThrowsFileNotFound()
    {
        Assert.Throws<FileNotFoundException>(() => GrayImage.Load(Path.Combine(ImageFixtures.Formats, "absent.png")));
    }

    [Test]
    public void Load_BrokenFile_MessageNamesPath()
    {
        using var dir = new TemporaryDirectory();
        string path = Path.Combine(dir.Path, "digit.png");
        File.WriteAllBytes(path, Bytes("png_grey8_pil.png")[..40]);
        var e = Assert.Throws<DataFormatException>(() => GrayImage.Load(path))!;
        Assert.That(e.FilePath, Is.EqualTo(path));
        Assert.That(e.Message, Does.StartWith(path + ": PNG"));
    }

    private static byte[] MakeChunk(ReadOnlySpan<byte> type, byte[] body)
    {
        var chunk = new byte[12 + body.Length];
        BinaryPrimitives.WriteUInt32BigEndian(chunk, (uint)body.Length);
        type.CopyTo(chunk.AsSpan(4));
        body.CopyTo(chunk.AsSpan(8));
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + body.Length), Crc(chunk.AsSpan(4, 4 + body.Length)));
        return chunk;
    }

    private static void FixCrc(byte[] data, int chunkStart)
    {
        int length = (int)BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(chunkStart));
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(chunkStart + 8 + length), Crc(data.AsSpan(chunkStart + 4, 4 + length)));
    }

    /// <summary>CRC-32 computed bit by bit, independently of the decoder's table-driven one.</summary>
    private static uint Crc(ReadOnlySpan<byte> bytes)
    {
        uint c = 0xFFFFFFFF;
        foreach (byte b in bytes)
        {
            c ^= b;
            for (int k = 0; k < 8; k++)
                c = (c >> 1) ^ (0xEDB88320 & (uint)-(int)(c & 1));
        }
        return ~c;
    }
}
