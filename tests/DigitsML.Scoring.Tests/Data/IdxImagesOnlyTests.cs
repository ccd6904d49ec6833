// IdxImagesOnlyTests.cs — ml.Data.LoadFromIdx(images) for unlabelled files: the labelled view's columns with NaN labels,
// streamed (the first N rows read only N images, whatever the header claims), bad files refused with the file named.
using DigitsML.Testing;
using Microsoft.ML;

namespace DigitsML.Scoring.Tests.Data;

[TestFixture]
public sealed class IdxImagesOnlyTests
{
    private readonly MLContext ml = new(seed: 1);

    [Test]
    public void LoadFromIdx_ImagesOnly_SameSchemaAndFeaturesAsLabelledWithNaNLabels()
    {
        var labelled = ml.Data.TakeRows(ml.Data.LoadFromIdx(TestData.TestImages, TestData.TestLabels), 20);
        var unlabelled = ml.Data.LoadFromIdx(TestData.TestImages);
        Assert.That(unlabelled.Schema.Select(c => (c.Name, c.Type)), Is.EqualTo(labelled.Schema.Select(c => (c.Name, c.Type))));
        Assert.That(unlabelled.GetRowCount(), Is.EqualTo(10_000));
        var expected = ml.Data.CreateEnumerable<DigitInput>(labelled, reuseRowObject: false).ToList();
        var actual = ml.Data.CreateEnumerable<DigitInput>(ml.Data.TakeRows(unlabelled, 20), reuseRowObject: false).ToList();
        Assert.That(actual.Select(r => r.Features), Is.EqualTo(expected.Select(r => r.Features)));
        Assert.That(actual.Select(r => r.Label), Is.All.NaN);
    }

    [Test]
    public void LoadFromIdx_GzipHeaderClaimingMillionsOfImages_FirstRowsReadWithoutTheRest()
    {
        using var folder = new TemporaryDirectory();
        // The header claims 2.7 M images; only 12 follow: reading more than 12 would fail, reading 10 must not.
        string path = HostileFiles.GzipIdxImages(Path.Combine(folder.Path, "claims.idx.gz"), claimed: 2_700_000, held: 12);
        var view = ml.Data.LoadFromIdx(path);
        Assert.That(view.GetRowCount(), Is.EqualTo(2_700_000));
        var rows = ml.Data.CreateEnumerable<DigitInput>(ml.Data.TakeRows(view, 10), reuseRowObject: false).ToList();
        Assert.That(rows, Has.Count.EqualTo(10));
        Assert.That(rows[3].Features.Max(), Is.EqualTo(3 / 255f), "image i's pixels are all i");
    }

    [Test]
    public void LoadFromIdx_ImagesOnlyTruncatedGzip_CursorThrowsDataFormatExceptionNamingFile()
    {
        using var folder = new TemporaryDirectory();
        string path = HostileFiles.GzipIdxImages(Path.Combine(folder.Path, "short.idx.gz"), claimed: 20, held: 5);
        using var cursor = ml.Data.LoadFromIdx(path).GetRowCursor(ml.Data.LoadFromIdx(path).Schema);
        var e = Assert.Throws<DataFormatException>(() => { while (cursor.MoveNext()) { } });
        Assert.That(e!.Message, Does.StartWith(path).And.Contain("truncated"));
    }

    [Test]
    public void LoadFromIdx_NullLabelsPath_ThrowsArgumentNullException()
    {
        Assert.Throws<ArgumentNullException>(() => ml.Data.LoadFromIdx(TestData.TestImages, (string)null!));
    }

    [Test]
    public void LoadFromIdx_ImagesOnlyOnALabelsFile_DataFormatExceptionNamingIt()
    {
        var e = Assert.Throws<DataFormatException>(() => ml.Data.LoadFromIdx(TestData.TestLabels));
        Assert.That(e!.FilePath, Is.EqualTo(TestData.TestLabels));
    }
}
