// ReadNumberLineReaderTests.cs — ml.Transforms.ReadNumber over a line reader: the same as NumberReader row by row (path
// and image columns), saved with ml.Model.Save and loaded back (ml.Model.Load and LoadDigitsModel) with the same output,
// custom column names kept; non-default options refuse to save, saying why. The fixture reader is provisional (it reads
// garbage), so the tests compare paths with each other, never with particular digits.
using DigitsML.Imaging;
using DigitsML.Testing;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DigitsML.Scoring.Tests.Reading;

[TestFixture]
public sealed class ReadNumberLineReaderTests
{
    private readonly MLContext ml = new(seed: 1);
    private TemporaryDirectory folder = null!;
    private ITransformer readerModel = null!;
    private string[] images = [];
    private string[] paths = [];

    [OneTimeSetUp]
    public void WriteImages()
    {
        folder = new TemporaryDirectory();
        readerModel = ml.Model.Load(Fixtures.File("reader-model.zip"), out _);
        var grays = new[]
        {
            NumberImages.Gray([0, 1, 2, 3, 4], new NumberImages.Layout()),
            NumberImages.Gray([5, 6, 7], new NumberImages.Layout { Paper = false, Gap = -2 }),
            NumberImages.Gray([8, 9, 10, 11, 12, 13], new NumberImages.Layout { Lines = 18 }),
            new GrayImage(100, 50, Enumerable.Repeat(0.9f, 100 * 50).ToArray()),  // blank
        };
        images = [.. grays.Select((image, i) =>
        {
            string path = Path.Combine(folder.Path, $"number{i}.png");
            File.WriteAllBytes(path, NumberImages.Png(image));
            return path;
        })];
        // Paths only: files LoadImages cannot read fail inside its cursor.
        paths = [.. images, Path.Combine(folder.Path, "missing.png"), "", Fixtures.File("corrupt/truncated.png"),
            Fixtures.File("corrupt/random.jpg"), Fixtures.File("corrupt/empty.png"), Fixtures.File("blank/white.png")];
    }

    [OneTimeTearDown]
    public void RemoveImages()
    {
        (readerModel as IDisposable)?.Dispose();
        folder.Dispose();
    }

    private IDataView Data(string[] files) => ml.Data.LoadFromEnumerable(files.Select(p => new PathRow { ImagePath = p }).ToList());

    private IEstimator<ITransformer> ImagePipeline(ReadingOptions? options = null, string number = "Number", string confidences = "Confidences") =>
        ml.Transforms.LoadImages("Photo", imageFolder: null, inputColumnName: nameof(PathRow.ImagePath))
            .Append(ml.Transforms.ReadNumber(readerModel, number, "Photo", confidences, options));

    [Test]
    public void PathColumn_SameAsNumberReader_EmptyForBadRows()
    {
        var data = Data(paths);
        var step = ml.Transforms.ReadNumber(readerModel, inputColumnName: nameof(PathRow.ImagePath)).Fit(data);

        var rows = Read(step.Transform(data));

        Assert.That(step.CanSave, Is.True);
        AssertSameAsReader(rows, paths, new ReadingOptions());
        Assert.That(rows.Skip(images.Length).Select(r => r.Number), Is.All.Empty, "missing, empty, corrupt and blank files");
        Assert.That(rows.Skip(images.Length).Select(r => r.Confidences), Is.All.Empty);
        Assert.That(rows[3], Is.EqualTo(("", Array.Empty<float>())).Using<(string, float[])>(Same), "a blank image");
    }

    [Test]
    public void NoModel_ReadsWithTheShippedReader_SameAsGivingIt_Saves()
    {
        var data = Data(images);
        var shipped = ml.Transforms.ReadNumber(inputColumnName: nameof(PathRow.ImagePath)).Fit(data);
        var given = ml.Transforms.ReadNumber(ml.Model.LoadPretrainedReader(), inputColumnName: nameof(PathRow.ImagePath)).Fit(data);

        var rows = Read(shipped.Transform(data));

        Assert.That(rows, Is.EqualTo(Read(given.Transform(data))).Using<(string, float[])>(Same));
        Assert.That(rows.Take(3).Select(r => r.Number), Is.All.Not.Empty, "three numbers on paper, on black and on ruled paper");
        Assert.That(rows[3].Number, Is.Empty, "a blank image");
        Assert.That(shipped.CanSave, Is.True);
    }

    [Test]
    public void ImageColumn_SameAsNumberReader()
    {
        string[] files = [.. images, ""];  // an empty path: LoadImages gives no image
        var data = Data(files);

        var rows = Read(ImagePipeline().Fit(data).Transform(data));

        AssertSameAsReader(rows[..images.Length], images, new ReadingOptions());
        Assert.That(rows[^1], Is.EqualTo(("", Array.Empty<float>())).Using<(string, float[])>(Same), "no image");
    }

    [Test]
    public void OutputSchema_StringAndVariableVector_InternalColumnsDropped()
    {
        var data = Data(images);

        var output = ImagePipeline().Fit(data).Transform(data);

        Assert.That(output.Schema["Number"].Type, Is.EqualTo(TextDataViewType.Instance));
        Assert.That(output.Schema["Confidences"].Type, Is.EqualTo(new VectorDataViewType(NumberDataViewType.Single)));
        Assert.That(output.Schema.Select(c => c.Name), Is.EqualTo(new[] { nameof(PathRow.ImagePath), "Photo", "Number", "Confidences" }));
    }

    [TestCase(DigitInk.Auto)]
    [TestCase(DigitInk.DarkOnLight)]
    public void SaveLoad_ImageColumn_SameOutputBothLoaders(DigitInk ink)
    {
        var data = Data(images);
        var options = new ReadingOptions { Ink = ink, SpeckShare = 0.1f };  // the cutter's settings do not matter
        var model = ImagePipeline(options, "Reading", "Sure").Fit(data);
        var before = Read(model.Transform(data), "Reading", "Sure");
        string file = Path.Combine(folder.Path, $"image-{ink}.zip");

        ml.Model.Save(model, data.Schema, file);

        AssertSameAsReader(before, images, options);
        var loaded = ml.Model.Load(file, out var schema);
        Assert.That(schema.Select(c => c.Name), Is.EqualTo(new[] { nameof(PathRow.ImagePath) }));
        Assert.That(Read(loaded.Transform(data), "Reading", "Sure"), Is.EqualTo(before).Using<(string, float[])>(Same));
        var checkedLoad = new MLContext().Model.LoadDigitsModel(file, out _);
        Assert.That(Read(checkedLoad.Transform(data), "Reading", "Sure"), Is.EqualTo(before).Using<(string, float[])>(Same));
        (loaded as IDisposable)?.Dispose();
        (checkedLoad as IDisposable)?.Dispose();
    }

    [Test]
    public void SaveLoad_PathColumn_SameOutputBothLoaders()
    {
        var data = Data(paths);
        var model = ml.Transforms.ReadNumber(readerModel, "N", nameof(PathRow.ImagePath), "C").Fit(data);
        var before = Read(model.Transform(data), "N", "C");
        using var stream = new MemoryStream();

        ml.Model.Save(model, data.Schema, stream);

        stream.Position = 0;
        var loaded = ml.Model.Load(stream, out _);
        Assert.That(Read(loaded.Transform(data), "N", "C"), Is.EqualTo(before).Using<(string, float[])>(Same));
        stream.Position = 0;
        var checkedLoad = new MLContext().Model.LoadDigitsModel(stream, out _);
        Assert.That(Read(checkedLoad.Transform(data), "N", "C"), Is.EqualTo(before).Using<(string, float[])>(Same));
        Assert.That(loaded.GetOutputSchema(data.Schema).Select(c => c.Name), Is.EqualTo(new[] { nameof(PathRow.ImagePath), "N", "C" }));
        (loaded as IDisposable)?.Dispose();
        (checkedLoad as IDisposable)?.Dispose();
    }

    [Test]
    public void NonDefaultOptions_ReadAsNumberReader_SaveRefusedSayingWhy()
    {
        var data = Data(paths);
        var options = new ReadingOptions { UncertainBelow = 0.99f, UncertainMark = '*', Ink = DigitInk.DarkOnLight };
        var step = ml.Transforms.ReadNumber(readerModel, inputColumnName: nameof(PathRow.ImagePath), options: options).Fit(data);
        using var stream = new MemoryStream();

        AssertSameAsReader(Read(step.Transform(data)), paths, options);
        Assert.That(step.CanSave, Is.False);
        Assert.That(() => ml.Model.Save(step, data.Schema, stream), Throws.InvalidOperationException
            .With.Message.Contains("cannot be saved").And.Message.Contains("UncertainBelow = 0.99")
            .And.Message.Contains("UncertainMark = '*'").And.Message.Contains("only Ink may differ"));
    }

    [Test]
    public void NonDefaultOptions_SaveAtomically_LeavesTheTargetAsItWas()
    {
        var data = Data(images);
        var step = ImagePipeline(new ReadingOptions { MaxDigits = 5 }).Fit(data);
        string file = Path.Combine(folder.Path, "kept.zip");
        File.WriteAllText(file, "before");

        Assert.That(() => ml.Model.SaveAtomically(step, data.Schema, file),
            Throws.InvalidOperationException.With.Message.Contains("MaxDigits = 5"));
        Assert.That(File.ReadAllText(file), Is.EqualTo("before"));
    }

    [Test]
    public void ReaderLoadedByLoadDigitsModel_ReadsTheSame_SavesAndLoadsBack()
    {
        var data = Data(paths);
        var checkedReader = new MLContext().Model.LoadDigitsModel(Fixtures.File("reader-model.zip"), out _);
        var step = ml.Transforms.ReadNumber(checkedReader, inputColumnName: nameof(PathRow.ImagePath)).Fit(data);
        using var stream = new MemoryStream();
        var before = Read(step.Transform(data));

        AssertSameAsReader(before, paths, new ReadingOptions());
        Assert.That(step.CanSave, Is.True, "a checked load keeps its graph copy for as long as the model lives");
        ml.Model.Save(step, data.Schema, stream);
        stream.Position = 0;
        var loaded = new MLContext().Model.LoadDigitsModel(stream, out _);
        Assert.That(Read(loaded.Transform(data)), Is.EqualTo(before).Using<(string, float[])>(Same));
        (loaded as IDisposable)?.Dispose();
        (checkedReader as IDisposable)?.Dispose();
    }

    [Test]
    public void InputWithAColumnNamedLikeTheReadersColumns_Refused()
    {
        var data = ml.Data.LoadFromEnumerable(new[] { new LineRow { ImagePath = images[0] } });

        Assert.That(() => ml.Transforms.ReadNumber(readerModel, inputColumnName: nameof(LineRow.ImagePath)).Fit(data),
            Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("'Line'"));
    }

    [Test]
    public void DigitClassifier_StillNotSaveable()
    {
        var data = Data(images);
        var step = ml.Transforms.ReadNumber(ReadingModel.Model, inputColumnName: nameof(PathRow.ImagePath)).Fit(data);
        using var stream = new MemoryStream();

        Assert.That(step.CanSave, Is.False);
        Assert.That(() => ml.Model.Save(step, data.Schema, stream),
            Throws.InvalidOperationException.With.Message.Contains("digit classifier cannot be saved"));
    }

    private static bool Same((string Number, float[] Confidences) a, (string Number, float[] Confidences) b) =>
        a.Number == b.Number && a.Confidences.SequenceEqual(b.Confidences);

    private static List<(string Number, float[] Confidences)> Read(IDataView output, string number = "Number", string confidences = "Confidences")
    {
        var numbers = output.GetColumn<ReadOnlyMemory<char>>(number).Select(n => n.ToString()).ToList();
        var sure = output.GetColumn<VBuffer<float>>(confidences).Select(v => v.DenseValues().ToArray()).ToList();
        return [.. numbers.Zip(sure)];
    }

    private void AssertSameAsReader(List<(string Number, float[] Confidences)> rows, string[] files, ReadingOptions options)
    {
        var reader = new NumberReader(readerModel, options);
        Assert.That(reader.ReadsWholeLines);
        Assert.That(rows, Has.Count.EqualTo(files.Length));
        for (int i = 0; i < files.Length; i++)
        {
            var expected = files[i] == "" ? NumberReading.Empty("no path") : reader.ReadFile(files[i]);
            Assert.That(rows[i].Number, Is.EqualTo(expected.MarkedText), files[i]);
            Assert.That(rows[i].Confidences, Is.EqualTo(expected.Confidences), files[i]);
        }
    }

    private sealed class LineRow
    {
        public string ImagePath { get; set; } = "";

        public float Line { get; set; }
    }
}
