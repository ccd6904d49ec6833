// DataEdgeCaseTests.cs — IDX files of other sizes or labels past the classes, NaN/infinite features and empty data get a
// documented DigitsML exception naming the file, column or row.
using System.Buffers.Binary;
using DigitsML.Trainers;
using DigitsML.Testing;

namespace DigitsML.Tests.Reliability;

[TestFixture]
public sealed class DataEdgeCaseTests
{
    private static (string Images, string Labels) WriteIdx(string folder, int count, int rows, int columns, Func<int, byte> label)
    {
        var images = new byte[16 + count * rows * columns];
        images[2] = 0x08;
        images[3] = 3;
        BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(4), count);
        BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(8), rows);
        BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(12), columns);
        var labels = new byte[8 + count];
        labels[2] = 0x08;
        labels[3] = 1;
        BinaryPrimitives.WriteInt32BigEndian(labels.AsSpan(4), count);
        for (int i = 0; i < count; i++)
            labels[8 + i] = label(i);
        string imagesPath = Path.Combine(folder, "images"), labelsPath = Path.Combine(folder, "labels");
        File.WriteAllBytes(imagesPath, images);
        File.WriteAllBytes(labelsPath, labels);
        return (imagesPath, labelsPath);
    }

    [Test]
    public void LoadFromIdx_Images32x30_ThrowsDataFormatExceptionWithSizes()
    {
        using var folder = new TemporaryDirectory();
        var (images, labels) = WriteIdx(folder.Path, 3, 32, 30, i => 1);

        var e = Assert.Throws<DataFormatException>(() => new MLContext().Data.LoadFromIdx(images, labels));

        Assert.That(e!.Message, Does.Contain(images).And.Contain("32 × 30").And.Contain("expected 28 × 28"));
    }

    [Test]
    public void LoadFromIdx_Images32x30WithAllowAnyImageSize_LoadsTheirShape()
    {
        using var folder = new TemporaryDirectory();
        var (images, labels) = WriteIdx(folder.Path, 3, 32, 30, i => 1);

        var view = new MLContext().Data.LoadFromIdx(images, labels, allowAnyImageSize: true);

        Assert.That(view.Schema["Features"].Type.ToString(), Does.Contain("32, 30"));
    }

    [Test]
    public void LoadFromIdx_LabelOutsideTenClasses_ThrowsNamingRowAndLabel()
    {
        using var folder = new TemporaryDirectory();
        var (images, labels) = WriteIdx(folder.Path, 5, 28, 28, i => (byte)(i == 3 ? 12 : i));

        var e = Assert.Throws<DataFormatException>(() => new MLContext().Data.LoadFromIdx(images, labels));

        Assert.That(e!.Message, Does.Contain(labels).And.Contain("row 3").And.Contain("label 12").And.Contain("10 classes"));
        Assert.That(new MLContext().Data.LoadFromIdx(images, labels, classCount: 13).GetRowCount(), Is.EqualTo(5));
    }

    private static IDataView Rows(MLContext ml, int count, Func<int, float[]>? features = null) =>
        ml.Transforms.Conversion.MapValueToKey("Label").Fit(Source(ml, count, features)).Transform(Source(ml, count, features));

    private static IDataView Source(MLContext ml, int count, Func<int, float[]>? features) =>
        ml.Data.LoadFromEnumerable(Enumerable.Range(0, count).Select(i => new Pipeline.DigitImage
        {
            Label = i % 2,
            Features = features?.Invoke(i) ?? new float[784],
        }).ToList());

    private static CnnTrainer.Options Tiny => new() { Architecture = FuzzTargets.Tiny, Epochs = 1, BatchSize = 4 };

    [TestCase(float.NaN)]
    [TestCase(float.PositiveInfinity)]
    [TestCase(float.NegativeInfinity)]
    public void Fit_NonFiniteFeature_ThrowsDataValueExceptionNamingColumnAndRow(float bad)
    {
        var ml = new MLContext(seed: 1);
        var data = Rows(ml, 8, i => { var f = new float[784]; if (i == 5) f[100] = bad; return f; });

        var e = Assert.Throws<DataValueException>(() => ml.MulticlassClassification.Trainers.Cnn(Tiny).Fit(data));

        Assert.That(e!.ColumnName, Is.EqualTo("Features"));
        Assert.That(e.Row, Is.EqualTo(5));
        Assert.That(e.Message, Does.Contain("Row 5").And.Contain("'Features'").And.Contain("slot 100"));
    }

    [Test]
    public void Transform_NaNFeatureWhenScoring_ThrowsDataValueExceptionNamingRow()
    {
        var ml = new MLContext(seed: 1);
        using var model = ml.MulticlassClassification.Trainers.Cnn(Tiny).Fit(Rows(ml, 8));
        var scored = model.Transform(Rows(ml, 4, i => { var f = new float[784]; if (i == 2) f[0] = float.NaN; return f; }));

        var e = Assert.Throws<DataValueException>(() => Pipeline.PipelineData.ReadAll(scored, "Score"));

        Assert.That(e!.Row, Is.EqualTo(2));
        Assert.That(e.Message, Does.Contain("'Features'"));
    }

    [Test]
    public void Fit_EmptyData_ThrowsDataValueException()
    {
        var ml = new MLContext(seed: 1);
        var empty = ml.Data.TakeRows(Rows(ml, 8), 0);

        var e = Assert.Throws<DataValueException>(() => ml.MulticlassClassification.Trainers.Cnn(Tiny).Fit(empty));

        Assert.That(e!.Message, Does.Contain("at least 2 rows").And.Contain("has 0"));
    }

    [Test]
    public void Evaluate_EmptyData_ThrowsDataValueExceptionNamingColumns()
    {
        var ml = new MLContext(seed: 1);
        using var model = ml.MulticlassClassification.Trainers.Cnn(Tiny).Fit(Rows(ml, 8));
        var empty = model.Transform(ml.Data.TakeRows(Rows(ml, 8), 0));

        var e = Assert.Throws<DataValueException>(() => ml.MulticlassClassification.Evaluate(empty));

        Assert.That(e!.Message, Does.Contain("'Label'").And.Contain("'Score'"));
    }
}
