// ReadNumberTests.cs — ml.Transforms.ReadNumber in an ML.NET pipeline: one image per row (an image column or a path
// column) in, the number and its confidences out, the same as NumberReader; schema errors name the column; Save refuses.
using DigitsML.Imaging;
using DigitsML.Testing;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DigitsML.Scoring.Tests.Reading;

[TestFixture]
public sealed class ReadNumberTests
{
    private readonly MLContext ml = new(seed: 1);
    private TemporaryDirectory folder = null!;
    private string[] paths = [];

    [OneTimeSetUp]
    public void WriteImages()
    {
        folder = new TemporaryDirectory();
        var images = new[]
        {
            NumberImages.Gray([0, 1, 2, 3, 4], new NumberImages.Layout()),
            NumberImages.Gray([5, 6, 7], new NumberImages.Layout { Paper = false, Gap = -2 }),
            new GrayImage(100, 50, Enumerable.Repeat(0.9f, 100 * 50).ToArray()),  // blank
        };
        paths = [.. images.Select((image, i) =>
        {
            string path = Path.Combine(folder.Path, $"number{i}.png");
            File.WriteAllBytes(path, NumberImages.Png(image));
            return path;
        })];
    }

    [OneTimeTearDown]
    public void RemoveImages() => folder.Dispose();

    private IDataView Paths => ml.Data.LoadFromEnumerable(paths.Select(p => new PathRow { ImagePath = p }).ToList());

    [Test]
    public void ReadNumber_ImageColumn_SameAsNumberReader()
    {
        var pipeline = ml.Transforms.LoadImages("Image", imageFolder: null, inputColumnName: nameof(PathRow.ImagePath))
            .Append(ml.Transforms.ReadNumber(ReadingModel.Model));

        var rows = ml.Data.CreateEnumerable<NumberRow>(pipeline.Fit(Paths).Transform(Paths), reuseRowObject: false).ToList();

        AssertSameAsReader(rows);
        Assert.That(rows[0].Number, Is.EqualTo("72104"));
        Assert.That(rows[2].Number, Is.Empty, "a blank image has no number");
        Assert.That(rows[2].Confidences, Is.Empty);
    }

    [Test]
    public void ReadNumber_PathColumnWithOtherNames_SameAsNumberReader()
    {
        var transformer = ml.Transforms.ReadNumber(ReadingModel.Model, "Reading", nameof(PathRow.ImagePath), "Sure").Fit(Paths);

        var output = transformer.Transform(Paths);

        Assert.That(output.Schema["Reading"].Type, Is.EqualTo(TextDataViewType.Instance));
        Assert.That(output.Schema["Sure"].Type, Is.EqualTo(new VectorDataViewType(NumberDataViewType.Single)));
        var numbers = output.GetColumn<ReadOnlyMemory<char>>("Reading").Select(n => n.ToString()).ToList();
        var sure = output.GetColumn<VBuffer<float>>("Sure").Select(v => v.DenseValues().ToArray()).ToList();
        AssertSameAsReader([.. numbers.Zip(sure, (n, c) => new NumberRow { Number = n, Confidences = c })]);
    }

    [Test]
    public void GetOutputSchema_ImageInput_AddsTextAndVector()
    {
        var estimator = ml.Transforms.LoadImages("Image", imageFolder: null, inputColumnName: nameof(PathRow.ImagePath))
            .Append(ml.Transforms.ReadNumber(ReadingModel.Model));

        var shape = estimator.GetOutputSchema(Shapes.Of(Paths.Schema));

        var number = shape.Single(c => c.Name == "Number");
        var confidences = shape.Single(c => c.Name == "Confidences");
        Assert.That((number.ItemType, number.Kind), Is.EqualTo((TextDataViewType.Instance, SchemaShape.Column.VectorKind.Scalar)));
        Assert.That((confidences.ItemType, confidences.Kind), Is.EqualTo((NumberDataViewType.Single, SchemaShape.Column.VectorKind.VariableVector)));
    }

    [Test]
    public void Fit_MissingOrWrongColumn_NamesIt()
    {
        var features = ml.Data.LoadFromEnumerable(Array.Empty<DigitInput>());

        Assert.That(() => ml.Transforms.ReadNumber(ReadingModel.Model, inputColumnName: "Photo").Fit(Paths),
            Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("'Photo' was not found"));
        Assert.That(() => ml.Transforms.ReadNumber(ReadingModel.Model, inputColumnName: "Features").Fit(features),
            Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("'Features'").And.Message.Contains("Image or String"));
        Assert.That(() => ml.Transforms.ReadNumber(ReadingModel.Model, inputColumnName: "Features").GetOutputSchema(Shapes.Of(features.Schema)),
            Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("'Features'"));
        Assert.That(() => ml.Transforms.ReadNumber(ReadingModel.Model, "Same", "Image", "Same"), Throws.ArgumentException);
    }

    [Test]
    public void Save_Refused_WithTheReasonAndNoLoadableFile()
    {
        var model = ml.Transforms.LoadImages("Image", imageFolder: null, inputColumnName: nameof(PathRow.ImagePath))
            .Append(ml.Transforms.ReadNumber(ReadingModel.Model)).Fit(Paths);
        using var stream = new MemoryStream();

        Assert.That(() => ml.Model.Save(model, Paths.Schema, stream),
            Throws.InvalidOperationException.With.Message.Contains("cannot be saved").And.Message.Contains("Save the digit model"));
        stream.Position = 0;
        Assert.That(() => ml.Model.Load(stream, out _), Throws.Exception, "what ML.NET wrote before the refusal does not load");
    }

    private void AssertSameAsReader(List<NumberRow> rows)
    {
        Assert.That(rows, Has.Count.EqualTo(paths.Length));
        for (int i = 0; i < paths.Length; i++)
        {
            var expected = ReadingModel.Reader.ReadFile(paths[i]);
            Assert.That(rows[i].Number, Is.EqualTo(expected.MarkedText), paths[i]);
            Assert.That(rows[i].Confidences, Is.EqualTo(expected.Confidences), paths[i]);
        }
    }

    private sealed class NumberRow
    {
        public string Number { get; set; } = "";

        public float[] Confidences { get; set; } = [];
    }
}
