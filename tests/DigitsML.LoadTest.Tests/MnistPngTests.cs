// MnistPngTests.cs — --make-png writes the MNIST test image's stored bytes exactly, as a 28 × 28 grayscale PNG (or scaled
// up, --size), and returns its stored label; the IDX bytes are read here by hand, apart from the loader the maker uses.
using DigitsML.Testing;
using SkiaSharp;

namespace DigitsML.LoadTest.Tests;

[TestFixture]
public sealed class MnistPngTests
{
    [TestCase(0)]
    [TestCase(1234)]
    [TestCase(9999)]
    public void Write_TestImage_PngHoldsTheIdxBytesAndLabel(int index)
    {
        using var folder = new TemporaryDirectory();
        string png = Path.Combine(folder.Path, "sub", "digit.png");
        int label = MnistPng.Write(MnistFiles.Directory, index, png);

        byte[] idx = File.ReadAllBytes(MnistFiles.TestImages);
        byte[] expected = idx.AsSpan(16 + index * 784, 784).ToArray();
        int expectedLabel = File.ReadAllBytes(MnistFiles.TestLabels)[8 + index];
        using var decoded = SKBitmap.Decode(png);
        Assert.That((decoded.Width, decoded.Height, decoded.ColorType), Is.EqualTo((28, 28, SKColorType.Gray8)));
        byte[] pixels = Enumerable.Range(0, 784).Select(i => decoded.GetPixel(i % 28, i / 28).Red).ToArray();
        Assert.That(pixels, Is.EqualTo(expected));
        Assert.That(label, Is.EqualTo(expectedLabel));
    }

    [Test]
    public void Write_Size2048_TheSameDigitScaledUp()
    {
        using var folder = new TemporaryDirectory();
        string png = Path.Combine(folder.Path, "big.png");
        MnistPng.Write(MnistFiles.Directory, 0, png, size: 2048);

        byte[] idx = File.ReadAllBytes(MnistFiles.TestImages);
        using var decoded = SKBitmap.Decode(png);
        Assert.That((decoded.Width, decoded.Height), Is.EqualTo((2048, 2048)));
        // Each source pixel's centre lands on the scaled image where that pixel's grey level is (bilinear, centres aligned).
        for (int i = 0; i < 784; i += 7)
        {
            int x = (int)((i % 28 + 0.5) * 2048 / 28), y = (int)((i / 28 + 0.5) * 2048 / 28);
            Assert.That((int)decoded.GetPixel(x, y).Red, Is.EqualTo((int)idx[16 + i]).Within(12), $"pixel {i % 28}, {i / 28}");
        }
    }

    [Test]
    public void Write_IndexPastTheTestSet_ThrowsNamingTheRange()
    {
        using var folder = new TemporaryDirectory();
        Assert.That(() => MnistPng.Write(MnistFiles.Directory, 10_000, Path.Combine(folder.Path, "x.png")),
            Throws.ArgumentException.With.Message.EqualTo("--index 10000 is not a test image: give 0 to 9999"));
    }

    [Test]
    public void Write_NoMnistThere_ThrowsFileNotFound()
    {
        using var folder = new TemporaryDirectory();
        Assert.That(() => MnistPng.Write(folder.Path, 0, Path.Combine(folder.Path, "x.png")),
            Throws.TypeOf<FileNotFoundException>().With.Message.Contains("t10k-images-idx3-ubyte"));
    }
}
