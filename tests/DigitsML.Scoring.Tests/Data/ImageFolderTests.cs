// ImageFolderTests.cs — ml.Data.LoadFromImageFolder on the real ML.NET: label types, order, nested files, extensions,
// errors. The files are not images: nothing here decodes them.
using Microsoft.ML;
using Microsoft.ML.Data;
using DigitsML.Testing;

namespace DigitsML.Scoring.Tests.Data;

[TestFixture]
public sealed class ImageFolderTests
{
    private readonly MLContext ml = new(seed: 1);
    private TemporaryDirectory folder = null!;

    [SetUp]
    public void CreateFolder() => folder = new TemporaryDirectory();

    [TearDown]
    public void RemoveFolder() => folder.Dispose();

    private sealed class NumberRow
    {
        public float Label { get; set; }
        public string ImagePath { get; set; } = "";
    }

    private sealed class TextRow
    {
        public string Label { get; set; } = "";
        public string ImagePath { get; set; } = "";
    }

    /// <summary>Writes each relative path (a label folder, maybe nested folders, a file name) under the temporary folder.</summary>
    private void Write(params string[] relativePaths)
    {
        foreach (var relative in relativePaths)
        {
            string path = Path.Combine(folder.Path, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, "x");
        }
    }

    private string Full(string relative) => Path.GetFullPath(Path.Combine(folder.Path, relative));

    [Test]
    public void LoadFromImageFolder_DigitFolders_SingleLabelsAndFullPathsInOrdinalOrder()
    {
        Write("1/b.png", "0/z.jpg", "1/a.JPEG", "0/a.webp", "10/c.gif", "2/d.bmp");

        var view = ml.Data.LoadFromImageFolder(folder.Path);

        Assert.That(view.Schema.Select(c => c.Name), Is.EqualTo(new[] { "Label", "ImagePath" }));
        Assert.That(view.Schema["Label"].Type, Is.EqualTo(NumberDataViewType.Single));
        Assert.That(view.Schema["ImagePath"].Type, Is.EqualTo(TextDataViewType.Instance));
        var rows = ml.Data.CreateEnumerable<NumberRow>(view, reuseRowObject: false).ToList();
        Assert.That(rows.Select(r => (r.Label, r.ImagePath)), Is.EqualTo(new[]
        {
            (0f, Full("0/a.webp")), (0f, Full("0/z.jpg")), (1f, Full("1/a.JPEG")), (1f, Full("1/b.png")),
            (10f, Full("10/c.gif")), (2f, Full("2/d.bmp")),
        }));
    }

    [Test]
    public void LoadFromImageFolder_ANonNumericFolder_TextLabels()
    {
        Write("0/a.png", "cat/b.png", "dog/c.jpg");

        var view = ml.Data.LoadFromImageFolder(folder.Path);

        Assert.That(view.Schema["Label"].Type, Is.EqualTo(TextDataViewType.Instance));
        var rows = ml.Data.CreateEnumerable<TextRow>(view, reuseRowObject: false).ToList();
        Assert.That(rows.Select(r => r.Label), Is.EqualTo(new[] { "0", "cat", "dog" }));
        Assert.That(rows.Select(r => Path.GetFileName(r.ImagePath)), Is.EqualTo(new[] { "a.png", "b.png", "c.jpg" }));
    }

    [Test]
    public void LoadFromImageFolder_NestedFiles_CountForTheirTopFolder()
    {
        Write("3/x/y/deep.png", "3/top.png", "4/x/other.bmp");

        var rows = ml.Data.CreateEnumerable<NumberRow>(ml.Data.LoadFromImageFolder(folder.Path), reuseRowObject: false).ToList();

        Assert.That(rows.Select(r => (r.Label, r.ImagePath)), Is.EqualTo(new[]
        {
            (3f, Full("3/top.png")), (3f, Full("3/x/y/deep.png")), (4f, Full("4/x/other.bmp")),
        }));
    }

    [Test]
    public void LoadFromImageFolder_OtherExtensionsAndRootFiles_Ignored()
    {
        Write("5/a.png", "5/notes.txt", "5/b.pgm", "5/c", "6/d.tiff", "loose.png");

        var rows = ml.Data.CreateEnumerable<NumberRow>(ml.Data.LoadFromImageFolder(folder.Path), reuseRowObject: false).ToList();

        Assert.That(rows.Select(r => (r.Label, r.ImagePath)), Is.EqualTo(new[] { (5f, Full("5/a.png")) }));
    }

    [Test]
    public void LoadFromImageFolder_MissingRoot_ThrowsDirectoryNotFound()
    {
        Assert.Throws<DirectoryNotFoundException>(() => ml.Data.LoadFromImageFolder(Path.Combine(folder.Path, "absent")));
        Assert.Throws<ArgumentException>(() => ml.Data.LoadFromImageFolder(" "));
    }

    [Test]
    public void LoadFromImageFolder_NoImages_ThrowsDataFormatExceptionNamingTheRoot()
    {
        Write("7/readme.txt", "loose.jpg");

        var e = Assert.Throws<DataFormatException>(() => ml.Data.LoadFromImageFolder(folder.Path))!;

        Assert.That(e.FilePath, Is.EqualTo(folder.Path));
        Assert.That(e.Message, Does.Contain(folder.Path).And.Contain("one sub-folder per label"));
    }
}
