// DigitDatasetTests.cs — the engine's in-memory dataset read from IDX files (plain and gzip), pixels scaled to [0, 1]; the
// IDX reader itself is DigitsML.Scoring's (tests/DigitsML.Scoring.Tests/Data/IdxFileTests.cs).
using DigitsML.Engine;
using DigitsML.Networks;

namespace DigitsML.Tests.Engine;

[TestFixture]
public sealed class DigitDatasetTests
{
    private TemporaryDirectory folder = null!;

    [SetUp]
    public void CreateFolder() => folder = new TemporaryDirectory();

    [TearDown]
    public void RemoveFolder() => folder.Dispose();

    [Test]
    public void LoadIdx_GzipCopy_SameAsPlainFiles()
    {
        string images = TestFiles.GzipCopy(TestData.TestImages, Path.Combine(folder.Path, "t10k-images-idx3-ubyte.gz"));
        string labels = TestFiles.GzipCopy(TestData.TestLabels, Path.Combine(folder.Path, "t10k-labels-idx1-ubyte.gz"));

        var fromGzip = DigitDataset.LoadIdx(images, labels);

        Assert.That(fromGzip.Pixels.AsSpan().SequenceEqual(TestData.MnistTest.Pixels), Is.True);
        Assert.That(fromGzip.Labels, Is.EqualTo(TestData.MnistTest.Labels));
    }

    [Test]
    public void LoadIdx_SmallFiles_ScalesPixelsToUnitRange()
    {
        string images = TestFiles.WriteIdx(Path.Combine(folder.Path, "images"), [2, 2, 3], [0, 255, 51, 102, 153, 204, 1, 2, 3, 4, 5, 6]);
        string labels = TestFiles.WriteIdx(Path.Combine(folder.Path, "labels"), [2], [3, 9]);

        var data = DigitDataset.LoadIdx(images, labels);

        Assert.That(data.Shape, Is.EqualTo(TensorShape.Image(1, 2, 3)));
        Assert.That(data.Labels, Is.EqualTo(new[] { 3, 9 }));
        Assert.That(data.Pixels.Take(6), Is.EqualTo(new[] { 0f, 1f, 0.2f, 0.4f, 0.6f, 0.8f }).Within(1e-7));
    }

    [Test]
    public void LoadIdx_ImageAndLabelCountsDiffer_ThrowsDataFormatExceptionNamingFiles()
    {
        string images = TestFiles.WriteIdx(Path.Combine(folder.Path, "images"), [3, 2, 2], new byte[12]);
        string labels = TestFiles.WriteIdx(Path.Combine(folder.Path, "labels"), [2], [1, 2]);

        var e = Assert.Throws<DataFormatException>(() => DigitDataset.LoadIdx(images, labels));

        Assert.That(e!.FilePath, Is.EqualTo(labels));
        Assert.That(e.Message, Does.Contain(images).And.Contain("2 labels").And.Contain("3 images"));
    }
}
