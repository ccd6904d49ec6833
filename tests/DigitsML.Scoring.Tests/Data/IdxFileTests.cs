// IdxFileTests.cs — reading MNIST's IDX files, plain and gzip-compressed, and refusing damaged ones with the file named.
using DigitsML.Data;
using DigitsML.Testing;

namespace DigitsML.Scoring.Tests.Data;

[TestFixture]
public sealed class IdxFileTests
{
    private TemporaryDirectory folder = null!;

    [SetUp]
    public void CreateFolder() => folder = new TemporaryDirectory();

    [TearDown]
    public void RemoveFolder() => folder.Dispose();

    private string WriteIdx(string name, byte type, int[] dims, byte[] body) =>
        TestFiles.WriteIdx(Path.Combine(folder.Path, name), dims, body, type);

    private string GzipCopy(string source, string name, int keepBytes = int.MaxValue) =>
        TestFiles.GzipCopy(source, Path.Combine(folder.Path, name), keepBytes);

    private static byte[] Pattern(int length) => Enumerable.Range(0, length).Select(i => (byte)(i * 37 % 256)).ToArray();

    [Test]
    public void ReadImages_MnistTestFile_GivesTenThousandImagesOf28By28()
    {
        var (count, rows, columns, pixels) = IdxFile.ReadImages(TestData.TestImages);

        Assert.That((count, rows, columns), Is.EqualTo((10_000, 28, 28)));
        Assert.That(pixels, Has.Length.EqualTo(10_000 * 784));
        Assert.That(IdxFile.ReadLabels(TestData.TestLabels).Take(10), Is.EqualTo(new byte[] { 7, 2, 1, 0, 4, 1, 4, 9, 5, 9 }));
    }

    [Test]
    public void ReadImages_GzipCopy_ReadsIdenticallyToPlainFile()
    {
        string images = GzipCopy(TestData.TestImages, "t10k-images-idx3-ubyte.gz");
        string labels = GzipCopy(TestData.TestLabels, "t10k-labels-idx1-ubyte.gz");

        var plain = IdxFile.ReadImages(TestData.TestImages);
        var zipped = IdxFile.ReadImages(images);

        Assert.That((zipped.Count, zipped.Rows, zipped.Columns), Is.EqualTo((plain.Count, plain.Rows, plain.Columns)));
        Assert.That(zipped.Pixels.AsSpan().SequenceEqual(plain.Pixels), Is.True);
        Assert.That(IdxFile.ReadLabels(labels), Is.EqualTo(IdxFile.ReadLabels(TestData.TestLabels)));
    }

    [Test]
    public void ReadImages_SmallFile_GivesDimensionsAndBytesInFileOrder()
    {
        string images = WriteIdx("images", 0x08, [2, 2, 3], [0, 255, 51, 102, 153, 204, 1, 2, 3, 4, 5, 6]);

        var (count, rows, columns, pixels) = IdxFile.ReadImages(images);

        Assert.That((count, rows, columns), Is.EqualTo((2, 2, 3)));
        Assert.That(pixels, Is.EqualTo(new byte[] { 0, 255, 51, 102, 153, 204, 1, 2, 3, 4, 5, 6 }));
    }

    private static IEnumerable<TestCaseData> Damaged()
    {
        yield return new TestCaseData(0x08, new[] { 3, 4, 4 }, 40, "truncated").SetName("ReadImages_TruncatedFile_ThrowsDataFormatExceptionNamingFile");
        yield return new TestCaseData(0x0D, new[] { 1, 4, 4 }, 16, "0x0D").SetName("ReadImages_FloatElementType_ThrowsDataFormatExceptionNamingFile");
        yield return new TestCaseData(0x08, new[] { 16 }, 16, "3 dimension").SetName("ReadImages_LabelFile_ThrowsDataFormatExceptionNamingFile");
        yield return new TestCaseData(0x08, new[] { 1, -4, 4 }, 16, "negative").SetName("ReadImages_NegativeDimension_ThrowsDataFormatExceptionNamingFile");
        yield return new TestCaseData(0x08, new[] { 65536, 65536, 2 }, 16, "refusing to allocate").SetName("ReadImages_HugeHeader_ThrowsDataFormatExceptionNamingFile");
    }

    [TestCaseSource(nameof(Damaged))]
    public void ReadImages_DamagedFile_Refused(int type, int[] dims, int bodyBytes, string why)
    {
        string path = WriteIdx("images-idx3-ubyte", (byte)type, dims, Pattern(bodyBytes));

        var e = Assert.Throws<DataFormatException>(() => IdxFile.ReadImages(path));

        Assert.That(e!.FilePath, Is.EqualTo(path));
        Assert.That(e.Message, Does.StartWith(path).And.Contain(why));
    }

    [Test]
    public void ReadLabels_WrongMagic_ThrowsDataFormatExceptionNamingFile()
    {
        string path = Path.Combine(folder.Path, "labels.png");
        File.WriteAllBytes(path, [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0]);

        var e = Assert.Throws<DataFormatException>(() => IdxFile.ReadLabels(path));

        Assert.That(e!.Message, Does.StartWith(path).And.Contain("magic"));
    }

    [Test]
    public void ReadLabels_EmptyFile_ThrowsDataFormatExceptionNamingFile()
    {
        string path = Path.Combine(folder.Path, "empty");
        File.WriteAllBytes(path, []);

        var e = Assert.Throws<DataFormatException>(() => IdxFile.ReadLabels(path));

        Assert.That(e!.Message, Does.StartWith(path).And.Contain("too short"));
    }

    [Test]
    public void ReadImages_TruncatedGzip_ThrowsDataFormatExceptionNamingFile()
    {
        string path = GzipCopy(TestData.TestImages, "t10k-images-idx3-ubyte.gz", keepBytes: 200_000);

        var e = Assert.Throws<DataFormatException>(() => IdxFile.ReadImages(path));

        Assert.That(e!.FilePath, Is.EqualTo(path));
    }

    [Test]
    public void ReadLabels_MissingFile_ThrowsFileNotFoundException()
    {
        Assert.Throws<FileNotFoundException>(() => IdxFile.ReadLabels(Path.Combine(folder.Path, "absent")));
    }
}
