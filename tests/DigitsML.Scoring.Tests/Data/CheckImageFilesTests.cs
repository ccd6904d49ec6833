// CheckImageFilesTests.cs — what a bad image file gives through ML.NET's LoadImages and NormalizeDigit, and
// ml.Data.CheckImageFiles, which names every bad file in one error before a pipeline reads them.
using DigitsML.Testing;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DigitsML.Scoring.Tests.Data;

[TestFixture]
public sealed class CheckImageFilesTests
{
    private readonly MLContext ml = new(seed: 1);

    private IDataView Paths(IEnumerable<string> paths) => ml.Data.LoadFromEnumerable(paths.Select(p => new PathRow { ImagePath = p }).ToList());

    private float[][] Normalize(IDataView data)
    {
        var model = ml.Transforms.LoadImages("Image", imageFolder: null, inputColumnName: "ImagePath")
            .Append(ml.Transforms.NormalizeDigit("Features", "Image")).Fit(data);
        return [.. ml.Data.CreateEnumerable<FeaturesRow>(model.Transform(data), reuseRowObject: false).Select(r => r.Features)];
    }

    private static string Messages(Exception e) => e.InnerException is null ? e.Message : e.Message + " | " + Messages(e.InnerException);

    private static readonly string Whole = Fixtures.File("glyphs/3_dark.png");

    [TestCase("corrupt/random.jpg")]
    [TestCase("corrupt/empty.png")]
    public void LoadImagesAndNormalizeDigit_UndecodableFile_MLNetsErrorNamesNoFile(string file)
    {
        var e = Assert.Catch(() => Normalize(Paths([Whole, Fixtures.File(file)])))!;

        // Why CheckImageFiles exists: should ML.NET start naming the file, this fails and the helper can go.
        Assert.That(Messages(e), Does.Contain("Invalid input stream contents"));
        Assert.That(Messages(e), Does.Not.Contain(Path.GetFileName(file)));
    }

    [Test]
    public void LoadImagesAndNormalizeDigit_TruncatedPng_ReadWithoutComplaint()
    {
        var features = Normalize(Paths([Whole, Fixtures.File("corrupt/truncated.png")]));

        Assert.That(features[1], Is.Not.EqualTo(features[0]), "half the file is missing, yet it gives a digit");
        Assert.That(features[1].Max(), Is.EqualTo(1f));
    }

    [Test]
    public void CheckImageFiles_GoodImagesAndEmptyPaths_ReturnsTheSameView()
    {
        var data = Paths(Fixtures.Photos.Append(Whole).Append(""));

        Assert.That(ml.Data.CheckImageFiles(data), Is.SameAs(data));
    }

    [TestCase("corrupt/truncated.png", "its Png data is truncated or damaged")]
    [TestCase("corrupt/random.jpg", "not an image LoadImages decodes (PNG, JPEG, BMP, GIF, WebP)")]
    [TestCase("corrupt/empty.png", "the file is empty (0 bytes)")]
    [TestCase("corrupt/missing.png", "the file does not exist")]
    public void CheckImageFiles_OneBadFile_ErrorNamesItAndWhatIsWrong(string file, string problem)
    {
        string path = Fixtures.File(file);

        var e = Assert.Throws<DataFormatException>(() => ml.Data.CheckImageFiles(Paths([Whole, path, Whole])))!;

        Assert.That(e.FilePath, Is.EqualTo(path));
        Assert.That(e.Message, Does.StartWith($"{path}: {problem}"));
        Assert.That(e.Message, Does.Not.Contain("3_dark.png"));
    }

    [Test]
    public void CheckImageFiles_SeveralBadFiles_OneErrorNamingEach()
    {
        string[] bad = [.. new[] { "corrupt/random.jpg", "corrupt/truncated.png", "corrupt/empty.png" }.Select(Fixtures.File)];

        var e = Assert.Throws<DataFormatException>(() => ml.Data.CheckImageFiles(Paths([.. Fixtures.Photos, .. bad])))!;

        Assert.That(e.FilePath, Is.EqualTo(bad[0]));
        Assert.That(e.Message, Does.Contain("2 more image file(s) cannot be read either"));
        Assert.That(e.Message, Does.Contain($"{bad[1]}: its Png data is truncated").And.Contain($"{bad[2]}: the file is empty"));
    }

    [Test]
    public void CheckImageFiles_TwelveMissingFiles_NamesTenAndCountsTheRest()
    {
        using var folder = new TemporaryDirectory();
        var missing = Enumerable.Range(0, 12).Select(i => Path.Combine(folder.Path, $"gone{i:D2}.png")).ToArray();

        var e = Assert.Throws<DataFormatException>(() => ml.Data.CheckImageFiles(Paths(missing)))!;

        Assert.That(missing.Take(10), Has.All.Matches<string>(m => e.Message.Contains(m, StringComparison.Ordinal)));
        Assert.That(e.Message, Does.Not.Contain("gone10.png").And.Not.Contain("gone11.png"));
        Assert.That(e.Message, Does.EndWith("; and 2 more"));
    }

    [Test]
    public void CheckImageFiles_ImageFolder_CombinedWithRelativePathsAsLoadImagesDoes()
    {
        string root = Fixtures.File("");

        Assert.That(() => ml.Data.CheckImageFiles(Paths(["glyphs/3_dark.png"]), imageFolder: root), Throws.Nothing);
        var e = Assert.Throws<DataFormatException>(() => ml.Data.CheckImageFiles(Paths(["corrupt/empty.png"]), imageFolder: root))!;
        Assert.That(e.FilePath, Is.EqualTo(Path.Combine(root, "corrupt/empty.png")));
    }

    [Test]
    public void CheckImageFiles_PathColumnMissingOrNotText_ErrorNamesTheColumn()
    {
        var data = Paths([Whole]);
        var numbers = ml.Data.LoadFromEnumerable(new[] { new FeaturesRow { Features = new float[784] } });

        Assert.That(() => ml.Data.CheckImageFiles(data, "Photo"),
            Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contain("'Photo'"));
        Assert.That(() => ml.Data.CheckImageFiles(numbers, "Features"),
            Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contain("'Features'").And.Message.Contain("expected String"));
    }

    [Test]
    public void CheckImageFiles_PhotoFolder_ThenLoadImagesAndNormalizeDigitGiveEveryDigit()
    {
        var photos = ml.Data.CheckImageFiles(ml.Data.LoadFromImageFolder(Fixtures.Digits));

        var features = Normalize(photos);

        Assert.That(features, Has.Length.EqualTo(30));
        Assert.That(features, Has.All.Matches<float[]>(f => f.Max() == 1f));
    }
}
