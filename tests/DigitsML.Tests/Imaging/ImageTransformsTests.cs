// ImageTransformsTests.cs — LoadFromImageFolder, LoadImages and NormalizeDigit as pipeline components: conformance,
// schemas, errors.
using DigitsML.Data;
using DigitsML.Imaging;
using DigitsML.Tests.Pipeline;
using DigitsML.Transforms;
using DigitsML.Testing;

namespace DigitsML.Tests.Imaging;

public sealed class ImageTransformsTests
{
    private static IDataView Photos(MLContext ml) => ml.Data.LoadFromImageFolder(ImageFixtures.Digits);

    [Test]
    public void LoadFromImageFolder_DigitFolders_NumericLabelsAndFullPaths()
    {
        var ml = new MLContext(seed: 1);
        var view = Photos(ml);
        Assert.That(view.Schema.Select(c => (c.Name, c.Type.ToString())), Is.EqualTo(new[] { ("Label", "Single"), ("ImagePath", "String") }));
        var rows = PipelineData.ReadAll(view);
        Assert.That(rows, Has.Count.EqualTo(30));
        Assert.That(view.GetRowCount(), Is.EqualTo(30));
        foreach (var row in rows)
        {
            string path = (string)row["ImagePath"]!;
            Assert.That(Path.IsPathFullyQualified(path), Is.True);
            Assert.That((float)row["Label"]!, Is.EqualTo(float.Parse(Path.GetFileName(Path.GetDirectoryName(path))!)));
        }
        Assert.That(rows.Select(r => (float)r["Label"]!).Distinct(), Is.EqualTo(Enumerable.Range(0, 10).Select(i => (float)i)));
    }

    [Test]
    public void LoadFromImageFolder_NamedFolders_TextLabelsAndOtherFilesIgnored()
    {
        using var dir = new TemporaryDirectory();
        foreach (var (label, file) in new[] { ("cat", "a.PNG"), ("cat", "notes.txt"), ("dog", "b.bmp") })
        {
            Directory.CreateDirectory(Path.Combine(dir.Path, label));
            File.WriteAllText(Path.Combine(dir.Path, label, file), "x");
        }
        var rows = PipelineData.ReadAll(new MLContext().Data.LoadFromImageFolder(dir.Path));
        Assert.That(rows.Select(r => r["Label"]), Is.EqualTo(new[] { "cat", "dog" }));
        Assert.That(rows.Select(r => Path.GetFileName((string)r["ImagePath"]!)), Is.EqualTo(new[] { "a.PNG", "b.bmp" }));
    }

    [Test]
    public void LoadFromImageFolder_MissingOrEmptyRoot_ClearErrors()
    {
        var ml = new MLContext();
        using var dir = new TemporaryDirectory();
        Assert.Throws<DirectoryNotFoundException>(() => ml.Data.LoadFromImageFolder(Path.Combine(dir.Path, "absent")));
        var e = Assert.Throws<DataFormatException>(() => ml.Data.LoadFromImageFolder(dir.Path))!;
        Assert.That(e.Message, Does.Contain("one sub-folder per label"));
        File.WriteAllText(Path.Combine(dir.Path, "loose.png"), "x"); // files directly in the root have no label
        Assert.Throws<DataFormatException>(() => ml.Data.LoadFromImageFolder(dir.Path));
        Assert.Throws<ArgumentException>(() => ml.Data.LoadFromImageFolder(" "));
    }

    [Test]
    public void Conformance_LoadImages_Passes()
    {
        var ml = new MLContext(seed: 1);
        var rows = EstimatorConformance.Check(ml, ml.Transforms.LoadImages("Image", null, "ImagePath"), Photos(ml));
        Assert.That(rows.Select(r => (GrayImage)r["Image"]!), Has.All.Matches<GrayImage>(i => i.Width == 120 && i.Height == 160));
    }

    [Test]
    public void Conformance_NormalizeDigitOnImages_Passes()
    {
        var ml = new MLContext(seed: 1);
        var images = ml.Transforms.LoadImages("Image", null, "ImagePath").Fit(Photos(ml)).Transform(Photos(ml));
        var rows = EstimatorConformance.Check(ml, ml.Transforms.NormalizeDigit(), images);
        var features = rows.Select(r => (float[])r["Features"]!).ToList();
        Assert.That(features, Has.All.Length.EqualTo(784));
        Assert.That(features.SelectMany(f => f), Has.All.InRange(0f, 1f));
        Assert.That(ml.Transforms.NormalizeDigit().Fit(images).Transform(images).Schema["Features"].Type.ToString(), Is.EqualTo("Vector<Single, 1, 28, 28>"));
    }

    [Test]
    public void Conformance_ChainWithRelativeFolder_Passes()
    {
        var ml = new MLContext(seed: 1);
        var relative = ml.Data.LoadFromEnumerable(new[] { new PathRow { File = "3/photo0.png" }, new PathRow { File = "7/photo1.bmp" } });
        var chain = ml.Transforms.LoadImages("Image", ImageFixtures.Digits, nameof(PathRow.File))
            .Append(ml.Transforms.NormalizeDigit(ink: DigitInk.DarkOnLight));
        var rows = EstimatorConformance.Check(ml, chain, relative);
        Assert.That(rows, Has.Count.EqualTo(2));
    }

    [Test]
    public void Fit_WrongInputTypes_ThrowSchemaMismatch()
    {
        var ml = new MLContext();
        var idx = ml.Data.TakeRows(PipelineData.MnistTest, 2);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.LoadImages("Image", null, "Features").Fit(idx))!;
        Assert.That(e.Message, Does.Contain("Schema mismatch for input column 'Features'"));
        e = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.NormalizeDigit("F", "Features").Fit(idx))!;
        Assert.That(e.Message, Does.Contain("LoadImages"));
        Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.NormalizeDigit(inputColumnName: "Absent").GetOutputSchema(SchemaShape.Create(idx.Schema)));
        Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.NormalizeDigit(ink: (DigitInk)7));
    }

    [Test]
    public void Transform_BrokenImageFile_ThrowsDataFormatExceptionWhenRead()
    {
        var ml = new MLContext();
        using var dir = new TemporaryDirectory();
        Directory.CreateDirectory(Path.Combine(dir.Path, "5"));
        File.WriteAllBytes(Path.Combine(dir.Path, "5", "bad.png"), [0x89, (byte)'P', (byte)'N', (byte)'G', 13, 10, 26, 10, 0, 0]);
        var data = ml.Data.LoadFromImageFolder(dir.Path);
        var loaded = ml.Transforms.LoadImages("Image", null, "ImagePath").Fit(data).Transform(data); // lazy: nothing read yet
        var e = Assert.Throws<DataFormatException>(() => PipelineData.ReadAll(loaded))!;
        Assert.That(e.FilePath, Does.EndWith("bad.png"));
    }

    public sealed class PathRow
    {
        public string File { get; set; } = "";
    }
}
