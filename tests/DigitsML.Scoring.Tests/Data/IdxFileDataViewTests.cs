// IdxFileDataViewTests.cs — ml.Data.LoadFromIdx on the real ML.NET: schema, rows equal to MNIST's bytes, gzip,
// streaming by column, malformed files refused with the file named, and ML.NET's own operations on the view.
using DigitsML.Data;
using Microsoft.ML;
using Microsoft.ML.Data;
using DigitsML.Testing;

namespace DigitsML.Scoring.Tests.Data;

[TestFixture]
public sealed class IdxFileDataViewTests
{
    private const int HeaderImages = 16;
    private const int HeaderLabels = 8;
    private const int Pixels = 28 * 28;

    private readonly MLContext ml = new(seed: 1);
    private TemporaryDirectory folder = null!;

    [SetUp]
    public void CreateFolder() => folder = new TemporaryDirectory();

    [TearDown]
    public void RemoveFolder() => folder.Dispose();

    private sealed class DigitRow
    {
        public float Label { get; set; }

        [VectorType(1, 28, 28)]
        public float[] Features { get; set; } = [];
    }

    /// <summary>The first <paramref name="count"/> MNIST test images and labels as IDX files in the temporary folder.</summary>
    private (string Images, string Labels) WriteMnistSubset(int count)
    {
        byte[] images = File.ReadAllBytes(TestData.TestImages);
        byte[] labels = File.ReadAllBytes(TestData.TestLabels);
        return (TestFiles.WriteIdx(Path.Combine(folder.Path, "images"), [count, 28, 28], images.AsSpan(HeaderImages, count * Pixels)),
                TestFiles.WriteIdx(Path.Combine(folder.Path, "labels"), [count], labels.AsSpan(HeaderLabels, count)));
    }

    private static List<DigitRow> Rows(MLContext ml, IDataView view) => ml.Data.CreateEnumerable<DigitRow>(view, reuseRowObject: false).ToList();

    [Test]
    public void LoadFromIdx_MnistTest_HasSingleLabelAndFeaturesOf1By28By28()
    {
        var view = ml.Data.LoadFromIdx(TestData.TestImages, TestData.TestLabels);

        Assert.That(view.Schema.Select(c => c.Name), Is.EqualTo(new[] { "Label", "Features" }));
        Assert.That(view.Schema["Label"].Type, Is.EqualTo(NumberDataViewType.Single));
        var features = (VectorDataViewType)view.Schema["Features"].Type;
        Assert.That(features.ItemType, Is.EqualTo(NumberDataViewType.Single));
        Assert.That(features.Dimensions.ToArray(), Is.EqualTo(new[] { 1, 28, 28 }));
        Assert.That(features, Is.EqualTo(new VectorDataViewType(NumberDataViewType.Single, 1, 28, 28)));
        Assert.That(view.GetRowCount(), Is.EqualTo(10_000));
        Assert.That(view.CanShuffle, Is.False);
    }

    [Test]
    public void CreateEnumerable_MnistTest_FirstRowsEqualTheFileBytesOver255()
    {
        byte[] images = File.ReadAllBytes(TestData.TestImages);
        byte[] labels = File.ReadAllBytes(TestData.TestLabels);

        var rows = ml.Data.CreateEnumerable<DigitRow>(ml.Data.LoadFromIdx(TestData.TestImages, TestData.TestLabels), reuseRowObject: false)
            .Take(20).ToList();

        Assert.That(rows.Select(r => r.Label).Take(10), Is.EqualTo(new float[] { 7, 2, 1, 0, 4, 1, 4, 9, 5, 9 }));
        for (int i = 0; i < rows.Count; i++)
        {
            Assert.That(rows[i].Label, Is.EqualTo((float)labels[HeaderLabels + i]), $"label of row {i}");
            var expected = images.AsSpan(HeaderImages + i * Pixels, Pixels).ToArray().Select(b => b / 255f);
            Assert.That(rows[i].Features, Is.EqualTo(expected), $"pixels of row {i}");
        }
        Assert.That(rows.SelectMany(r => r.Features).All(v => v is >= 0f and <= 1f));
        Assert.That(rows.SelectMany(r => r.Features).Max(), Is.EqualTo(1f));
    }

    [Test]
    public void CreateEnumerable_MnistTest_ReadsAllTenThousandRows()
    {
        var view = ml.Data.LoadFromIdx(TestData.TestImages, TestData.TestLabels);

        Assert.That(ml.Data.CreateEnumerable<DigitRow>(view, reuseRowObject: true).Count(), Is.EqualTo(10_000));
    }

    [Test]
    public void LoadFromIdx_GzipCopies_GiveTheSameRowsAsThePlainFiles()
    {
        var (images, labels) = WriteMnistSubset(100);
        string imagesGz = TestFiles.GzipCopy(images, images + ".gz");
        string labelsGz = TestFiles.GzipCopy(labels, labels + ".gz");

        var plain = Rows(ml, ml.Data.LoadFromIdx(images, labels));
        var gzip = Rows(ml, ml.Data.LoadFromIdx(imagesGz, labelsGz));

        Assert.That(gzip, Has.Count.EqualTo(100));
        Assert.That(gzip.Select(r => r.Label), Is.EqualTo(plain.Select(r => r.Label)));
        Assert.That(gzip.SelectMany(r => r.Features), Is.EqualTo(plain.SelectMany(r => r.Features)));
    }

    [Test]
    public void GetRowCursor_LabelOnly_ReadsLabelsWithoutOpeningTheImageFile()
    {
        var (images, labels) = WriteMnistSubset(30);
        var view = ml.Data.LoadFromIdx(images, labels);
        File.Delete(images); // a cursor that opened the images now would fail

        var read = new List<float>();
        using (var cursor = view.GetRowCursor([view.Schema["Label"]]))
        {
            Assert.That(cursor.IsColumnActive(view.Schema["Features"]), Is.False);
            Assert.Throws<InvalidOperationException>(() => cursor.GetGetter<VBuffer<float>>(view.Schema["Features"]));
            var label = cursor.GetGetter<float>(view.Schema["Label"]);
            float value = 0;
            while (cursor.MoveNext())
            {
                label(ref value);
                read.Add(value);
            }
            Assert.That(cursor.Position, Is.EqualTo(30));
        }

        byte[] expected = File.ReadAllBytes(TestData.TestLabels).AsSpan(HeaderLabels, 30).ToArray();
        Assert.That(read, Is.EqualTo(expected.Select(b => (float)b)));
    }

    [Test]
    public void GetRowCursor_WrongTypeOrBeforeMoveNext_Throws()
    {
        var view = ml.Data.LoadFromIdx(TestData.TestImages, TestData.TestLabels);
        using var cursor = view.GetRowCursor(view.Schema);

        Assert.That(cursor.Position, Is.EqualTo(-1));
        Assert.Throws<InvalidOperationException>(() => cursor.GetGetter<double>(view.Schema["Label"]));
        var label = cursor.GetGetter<float>(view.Schema["Label"]);
        float value = 0;
        Assert.Throws<InvalidOperationException>(() => label(ref value));
    }

    [Test]
    public void GetRowCursorSet_AnyCount_GivesOneCursor()
    {
        var view = ml.Data.LoadFromIdx(TestData.TestImages, TestData.TestLabels);

        var cursors = view.GetRowCursorSet(view.Schema, 4);
        try
        {
            Assert.That(cursors, Has.Length.EqualTo(1));
        }
        finally
        {
            foreach (var cursor in cursors)
                cursor.Dispose();
        }
    }

    [Test]
    public void MapValueToKey_OnMnistTest_FitsTenKeys()
    {
        var view = ml.Data.LoadFromIdx(TestData.TestImages, TestData.TestLabels);

        var mapped = ml.Transforms.Conversion.MapValueToKey("Label").Fit(view).Transform(view);

        var key = (KeyDataViewType)mapped.Schema["Label"].Type;
        Assert.That(key.Count, Is.EqualTo(10));
        Assert.That(mapped.Schema["Features"].Type, Is.EqualTo(view.Schema["Features"].Type));
    }

    [Test]
    public void TakeRows_Five_GivesTheFirstFiveRows()
    {
        var view = ml.Data.LoadFromIdx(TestData.TestImages, TestData.TestLabels);

        var rows = Rows(ml, ml.Data.TakeRows(view, 5));

        Assert.That(rows.Select(r => r.Label), Is.EqualTo(new float[] { 7, 2, 1, 0, 4 }));
    }

    [Test]
    public void LoadFromIdx_MissingFile_ThrowsFileNotFoundNamingIt()
    {
        string missing = Path.Combine(folder.Path, "no-such-images");

        var e = Assert.Throws<FileNotFoundException>(() => ml.Data.LoadFromIdx(missing, TestData.TestLabels));

        Assert.That(e!.FileName, Is.EqualTo(missing));
        Assert.That(e.Message, Does.Contain(missing));
    }

    [Test]
    public void LoadFromIdx_CountsDiffer_ThrowsDataFormatExceptionNamingTheLabelFile()
    {
        var (images, _) = WriteMnistSubset(10);
        string labels = TestFiles.WriteIdx(Path.Combine(folder.Path, "nine-labels"), [9], new byte[9]);

        var e = Assert.Throws<DataFormatException>(() => ml.Data.LoadFromIdx(images, labels));

        Assert.That(e!.FilePath, Is.EqualTo(labels));
        Assert.That(e.Message, Does.Contain(labels).And.Contain("9 labels").And.Contain("10 images"));
    }

    private static IEnumerable<TestCaseData> MalformedImageFiles()
    {
        yield return new TestCaseData(new byte[] { 0, 0 }, "too short").SetName("LoadFromIdx_TwoByteFile_ThrowsNamingTheFile");
        yield return new TestCaseData(new byte[] { 0x50, 0x4b, 8, 3, 0, 0, 0, 0 }, "magic number").SetName("LoadFromIdx_BadMagic_ThrowsNamingTheFile");
        yield return new TestCaseData(new byte[] { 0, 0, 0x0d, 3, 0, 0, 0, 0, 0, 0, 0, 28, 0, 0, 0, 28 }, "element type")
            .SetName("LoadFromIdx_FloatElements_ThrowsNamingTheFile");
        yield return new TestCaseData(new byte[] { 0, 0, 8, 1, 0, 0, 0, 0 }, "3 dimension").SetName("LoadFromIdx_LabelFileAsImages_ThrowsNamingTheFile");
        yield return new TestCaseData(new byte[] { 0, 0, 8, 3, 0, 0, 0, 1 }, "header ends").SetName("LoadFromIdx_HeaderCutShort_ThrowsNamingTheFile");
        yield return new TestCaseData(new byte[] { 0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 28, 0, 0, 0, 28, 1, 2, 3 }, "truncated")
            .SetName("LoadFromIdx_PlainFileTruncated_ThrowsNamingTheFile");
    }

    [TestCaseSource(nameof(MalformedImageFiles))]
    public void LoadFromIdx_MalformedImageFile_ThrowsDataFormatExceptionNamingIt(byte[] bytes, string what)
    {
        string images = Path.Combine(folder.Path, "bad-images");
        File.WriteAllBytes(images, bytes);

        var e = Assert.Throws<DataFormatException>(() => ml.Data.LoadFromIdx(images, TestData.TestLabels));

        Assert.That(e!.FilePath, Is.EqualTo(images));
        Assert.That(e.Message, Does.StartWith(images + ": ").And.Contain(what));
    }

    [Test]
    public void LoadFromIdx_MalformedLabelFile_ThrowsDataFormatExceptionNamingIt()
    {
        var (images, _) = WriteMnistSubset(10);
        string labels = TestFiles.WriteIdx(Path.Combine(folder.Path, "labels-as-images"), [10, 1, 1], new byte[10]);

        var e = Assert.Throws<DataFormatException>(() => ml.Data.LoadFromIdx(images, labels));

        Assert.That(e!.FilePath, Is.EqualTo(labels));
        Assert.That(e.Message, Does.Contain("1 dimension"));
    }

    [Test]
    public void MoveNext_GzipCutShort_ThrowsDataFormatExceptionNamingTheFile()
    {
        var (images, labels) = WriteMnistSubset(200);
        string cut = TestFiles.GzipCopy(images, images + ".gz", keepBytes: 3_000);
        var view = ml.Data.LoadFromIdx(cut, labels); // a gzip file's length is unknown until it is read

        var e = Assert.Throws<DataFormatException>(() => Rows(ml, view));

        Assert.That(e!.FilePath, Is.EqualTo(cut));
    }

    [Test]
    public void LoadFromIdx_Not28By28_RefusedUnlessAllowed()
    {
        string images = TestFiles.WriteIdx(Path.Combine(folder.Path, "small"), [3, 5, 4], Enumerable.Range(0, 60).Select(i => (byte)(i * 4)).ToArray());
        string labels = TestFiles.WriteIdx(Path.Combine(folder.Path, "small-labels"), [3], new byte[] { 1, 2, 3 });

        var e = Assert.Throws<DataFormatException>(() => ml.Data.LoadFromIdx(images, labels));
        Assert.That(e!.Message, Does.Contain(images).And.Contain("5 × 4").And.Contain("allowAnyImageSize"));

        var view = ml.Data.LoadFromIdx(images, labels, allowAnyImageSize: true);
        Assert.That(((VectorDataViewType)view.Schema["Features"].Type).Dimensions.ToArray(), Is.EqualTo(new[] { 1, 5, 4 }));
        using var cursor = view.GetRowCursor(view.Schema);
        var features = cursor.GetGetter<VBuffer<float>>(view.Schema["Features"]);
        var value = default(VBuffer<float>);
        Assert.That(cursor.MoveNext() && cursor.MoveNext(), Is.True);
        features(ref value);
        Assert.That(value.DenseValues(), Is.EqualTo(Enumerable.Range(20, 20).Select(i => i * 4 / 255f)));
    }

    [Test]
    public void LoadFromIdx_NoCatalog_ThrowsArgumentNull()
        => Assert.Throws<ArgumentNullException>(() => DigitsDataCatalog.LoadFromIdx(null!, TestData.TestImages, TestData.TestLabels));

    [Test]
    public void LoadFromIdx_ReturnsTheStreamingView()
        => Assert.That(ml.Data.LoadFromIdx(TestData.TestImages, TestData.TestLabels), Is.TypeOf<IdxFileDataView>());
}
