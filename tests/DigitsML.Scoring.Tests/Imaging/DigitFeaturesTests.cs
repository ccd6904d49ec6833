// DigitFeaturesTests.cs — DigitFeatures.FromImage on image bytes in memory: the same features as LoadImages → NormalizeDigit on
// the same file, for every format and ink setting, and one-line DataFormatExceptions for bytes that are not a whole image.
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DigitsML.Scoring.Tests.Imaging;

[TestFixture]
public sealed class DigitFeaturesTests
{
    private readonly MLContext ml = new(seed: 1);

    /// <summary>The reference: the files through ML.NET's LoadImages and NormalizeDigit.</summary>
    private float[][] ThroughLoadImages(DigitInk ink, IReadOnlyList<string> paths)
    {
        var data = ml.Data.LoadFromEnumerable(paths.Select(p => new PathRow { ImagePath = p }).ToList());
        var model = ml.Transforms.LoadImages("Image", imageFolder: null, inputColumnName: "ImagePath")
            .Append(ml.Transforms.NormalizeDigit("Features", "Image", ink)).Fit(data);
        return [.. ml.Data.CreateEnumerable<FeaturesRow>(model.Transform(data), reuseRowObject: false).Select(r => r.Features)];
    }

    private static string[] Formats =>
    [
        .. Directory.GetFiles(Fixtures.File("formats")).Where(f => !f.EndsWith(".json", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal),
    ];

    [TestCase(DigitInk.Auto)]
    [TestCase(DigitInk.DarkOnLight)]
    [TestCase(DigitInk.LightOnDark)]
    public void FromImage_EveryFixtureImage_BitIdenticalToLoadImagesThenNormalizeDigit(DigitInk ink)
    {
        // Photos in PNG, JPEG, BMP, WebP and GIF; PIL's glyphs both ways round; blank pages; and PNG/BMP variants of every
        // bit depth, palette, transparency and interlacing.
        string[] paths =
        [
            .. Fixtures.Photos,
            .. Directory.GetFiles(Fixtures.File("glyphs"), "*.png").Order(StringComparer.Ordinal),
            .. Directory.GetFiles(Fixtures.File("blank")).Order(StringComparer.Ordinal),
            .. Formats,
        ];
        Assert.That(paths, Has.Length.GreaterThan(100));

        var expected = ThroughLoadImages(ink, paths);

        for (int i = 0; i < paths.Length; i++)
            Assert.That(DigitFeatures.FromImage(File.ReadAllBytes(paths[i]), ink), Is.EqualTo(expected[i]), paths[i]);
        Assert.That(expected.Count(f => f.Max() > 0), Is.GreaterThan(paths.Length / 2), "most of them have ink");
    }

    [Test]
    public void FromImage_FromManyThreads_SameAsOneByOne()
    {
        var bytes = Fixtures.Photos.Select(File.ReadAllBytes).ToArray();
        var once = bytes.Select(b => DigitFeatures.FromImage(b)).ToArray();

        var results = new float[8 * bytes.Length][];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 },
            i => results[i] = DigitFeatures.FromImage(bytes[i % bytes.Length]));

        for (int i = 0; i < results.Length; i++)
            Assert.That(results[i], Is.EqualTo(once[i % bytes.Length]));
    }

    [TestCase("corrupt/random.jpg", "not an image LoadImages decodes (PNG, JPEG, BMP, GIF, WebP)")]
    [TestCase("corrupt/truncated.png", "its Png data is truncated or damaged")]
    [TestCase("corrupt/empty.png", "the image is empty (0 bytes)")]
    public void FromImage_NotAWholeImage_ThrowsOneLineDataFormatException(string file, string message)
    {
        var e = Assert.Throws<DataFormatException>(() => DigitFeatures.FromImage(File.ReadAllBytes(Fixtures.File(file))))!;

        Assert.That(e.Message, Does.StartWith(message));
        Assert.That(e.Message, Does.Not.Contain('\n'));
        Assert.That(e.FilePath, Is.Null);
    }

    [Test]
    public void FromImage_TextAndZeroBytes_NotAnImage()
    {
        Assert.That(() => DigitFeatures.FromImage("{\"pixels\": [0, 1]}"u8), Throws.TypeOf<DataFormatException>().With.Message.Contains("not an image"));
        Assert.That(() => DigitFeatures.FromImage(new byte[100]), Throws.TypeOf<DataFormatException>().With.Message.Contains("not an image"));
    }

    [Test]
    public void FromImage_MorePixelsThanAllowed_RefusedNamingSizeAndLimit()
    {
        byte[] photo = File.ReadAllBytes(Fixtures.File("digits/0/photo0.png"));
        var size = PixelsOf(photo);

        var e = Assert.Throws<DataFormatException>(() => DigitFeatures.FromImage(photo, maxPixels: size - 1))!;

        Assert.That(e.Message, Does.Contain($"pixels is more than the {size - 1:N0} allowed"));
        Assert.That(DigitFeatures.FromImage(photo, maxPixels: size), Has.Length.EqualTo(784), "exactly the limit is allowed");
    }

    private static int PixelsOf(byte[] png)
    {
        using var image = MLImage.CreateFromStream(new MemoryStream(png));
        return image.Width * image.Height;
    }

    [Test]
    public void FromImage_PngClaimingHugeSize_RefusedBeforeAllocating()
    {
        // A PNG header saying 65,535 × 65,535 (4 Gi pixels, 16 GiB of BGRA) with no data behind it.
        byte[] png = File.ReadAllBytes(Fixtures.File("glyphs/3_dark.png"));
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(16), 65535);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(20), 65535);
        FixPngHeaderCrc(png);

        long before = GC.GetTotalAllocatedBytes(precise: true);
        var e = Assert.Throws<DataFormatException>(() => DigitFeatures.FromImage(png))!;
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.That(e.Message, Does.Contain("65535 × 65535 pixels is more than the 67,108,864 NormalizeDigit reads"));
        Assert.That(allocated, Is.LessThan(1 << 20));
    }

    /// <summary>Recomputes the CRC of the IHDR chunk (bytes 12 to 28) so that the codec reads the edited header.</summary>
    private static void FixPngHeaderCrc(byte[] png)
    {
        uint crc = 0xFFFFFFFF;
        for (int i = 12; i < 29; i++)
        {
            crc ^= png[i];
            for (int k = 0; k < 8; k++)
                crc = (crc & 1) != 0 ? 0xEDB88320 ^ (crc >> 1) : crc >> 1;
        }
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(29), ~crc);
    }

    [Test]
    public void FromImage_BmpWithPixelOffsetPast2GiB_RefusedWithoutCrashing()
    {
        // The file that ends the process through LoadImages (SkiaSharp's managed stream; see DigitsML.Tests'
        // NormalizeDigitEstimatorTests): from memory it must be an error, and the process goes on.
        byte[] bmp = File.ReadAllBytes(Fixtures.File("digits/0/photo2.bmp"));
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(bmp.AsSpan(10), 0x8000_003E);

        Assert.That(() => DigitFeatures.FromImage(bmp), Throws.TypeOf<DataFormatException>());
        Assert.That(DigitFeatures.FromImage(File.ReadAllBytes(Fixtures.File("digits/0/photo2.bmp"))).Max(), Is.EqualTo(1f));
    }

    [Test]
    public void FromImage_BadArguments_Throw()
    {
        byte[] png = File.ReadAllBytes(Fixtures.File("glyphs/3_dark.png"));
        Assert.Throws<ArgumentOutOfRangeException>(() => DigitFeatures.FromImage(png, (DigitInk)7));
        Assert.Throws<ArgumentOutOfRangeException>(() => DigitFeatures.FromImage(png, maxPixels: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => DigitFeatures.FromImage(png, maxPixels: DigitFeatures.MaxPixels + 1));
    }
}
