// ImageDecodingTests.cs — what NormalizeDigit sees of a picture: ML.NET's ImageAnalytics (SkiaSharp) decodes each PNG and
// BMP fixture and GrayImage.FromMLImage reduces it to grey; both together must give what PIL gives, within a grey level.
using DigitsML.Imaging;
using DigitsML.Tests.Imaging;
using Microsoft.ML.Data;

namespace DigitsML.Scoring.Tests.Imaging;

public sealed class ImageDecodingTests
{
    private const float Tolerance = 1f / 255 + 1e-5f;

    private static IEnumerable<string> FixtureNames() => ImageFixtures.PilDecoded.Keys.Order(StringComparer.Ordinal);

    private static GrayImage Decode(string name)
    {
        using var image = MLImage.CreateFromFile(ImageFixtures.Format(name));
        return GrayImage.FromMLImage(image);
    }

    [TestCaseSource(nameof(FixtureNames))]
    public void FromMLImage_Fixture_MatchesPilWithinOneGreyLevel(string name)
    {
        var expected = ImageFixtures.PilDecoded[name];

        var image = Decode(name);

        Assert.That((image.Width, image.Height), Is.EqualTo((expected.Width, expected.Height)));
        var actual = image.Pixels.ToArray();
        int worst = Enumerable.Range(0, actual.Length).MaxBy(i => Math.Abs(actual[i] - expected.Grey[i]));
        Assert.That(actual[worst], Is.EqualTo(expected.Grey[worst]).Within(Tolerance),
            $"pixel ({worst % image.Width}, {worst / image.Width}) of {name} (PIL mode {expected.PilMode})");
        Assert.That(actual, Has.All.InRange(0f, 1f));
    }

    [Test]
    public void Fixtures_CoverEveryVariant_ArePresent()
    {
        // The variants these tests claim; a fixture missing here means make_images.py no longer writes it.
        string[] required =
        [
            "png_grey1.png", "png_grey2.png", "png_grey4.png", "png_grey8.png", "png_grey16.png",
            "png_grey1_adam7.png", "png_grey2_adam7.png", "png_grey4_adam7.png", "png_grey8_adam7.png", "png_grey16_adam7.png",
            "png_rgb8.png", "png_rgb16.png", "png_rgb8_adam7.png", "png_rgb16_adam7.png",
            "png_greyalpha8.png", "png_greyalpha16_adam7.png", "png_rgba8.png", "png_rgba16_adam7.png",
            "png_palette1_trns_adam7.png", "png_palette2_trns_adam7.png", "png_palette4_trns_adam7.png", "png_palette8_trns_adam7.png",
            "png_palette1_pil.png", "png_palette2_pil.png", "png_palette4_pil.png", "png_palette8_pil.png", "png_palette_trns_pil.png",
            "png_grey_trns_pil.png", "png_rgb_trns_pil.png", "png_grey16_trns_adam7.png", "png_rgb16_trns.png",
            "png_grey8_adam7_1x1.png", "png_grey8_adam7_3x2.png",
            "bmp_1_pil.bmp", "bmp_4.bmp", "bmp_4_topdown.bmp", "bmp_8_grey_pil.bmp", "bmp_8_palette_pil.bmp", "bmp_8_topdown.bmp",
            "bmp_16_555.bmp", "bmp_16_565.bmp", "bmp_24_pil.bmp", "bmp_24_topdown.bmp", "bmp_32_pil.bmp", "bmp_32_alpha_v5.bmp",
        ];
        Assert.That(ImageFixtures.PilDecoded.Keys, Is.SupersetOf(required));
    }

    [Test]
    public void FromMLImage_TransparentPixels_AreWhitePaper()
    {
        // The palette fixture gives palette index 0 alpha 0: wherever PIL saw full transparency we must read paper white.
        var expected = ImageFixtures.PilDecoded["png_palette4_trns_adam7.png"];
        var image = Decode("png_palette4_trns_adam7.png");
        var white = Enumerable.Range(0, expected.Grey.Length).Where(i => expected.Grey[i] == 1f).ToList();
        Assert.That(white, Is.Not.Empty);
        Assert.That(white.Select(i => image.Pixels[i]), Has.All.EqualTo(1f));
    }

    [Test]
    public void FromMLImage_SameImageInEveryContainer_DecodesAlike()
    {
        // One picture written as 8-bit PNG (PIL), interlaced PNG (make_images.py) and 8-bit BMP both ways up.
        var reference = Decode("png_grey8_pil.png");
        foreach (var name in new[] { "png_grey8_adam7.png", "png_grey8.png", "bmp_8_grey_pil.bmp", "bmp_8_topdown.bmp" })
        {
            var image = Decode(name);
            Assert.That((image.Width, image.Height), Is.EqualTo((reference.Width, reference.Height)), name);
            Assert.That(image.Pixels.ToArray(), Is.EqualTo(reference.Pixels.ToArray()).Within(1e-5f), name);
        }
    }

    [Test]
    public void Constructor_InvalidArguments_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new GrayImage(0, 1, []));
        Assert.Throws<ArgumentOutOfRangeException>(() => new GrayImage(2, 2, new float[3]));
        Assert.Throws<ArgumentException>(() => new GrayImage(1, 1, [1.5f]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new GrayImage(8193, 8193, []));
    }
}
