// NormalizeDigitTests.cs — ml.Transforms.NormalizeDigit after ML.NET's LoadImages, on image files PIL made
// (fixtures/make_images.py): the features' type, PIL's reference digits, ink and centring of photos, blank images, the
// ink settings, save and load in a fresh MLContext, and the errors of a wrong input column.
using System.Text.Json;
using DigitsML.Testing;
using DigitsML.Transforms;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DigitsML.Scoring.Tests.Transforms;

[TestFixture]
public sealed class NormalizeDigitTests
{
    private readonly MLContext ml = new(seed: 1);

    private IDataView Paths(IEnumerable<string> paths) => ml.Data.LoadFromEnumerable(paths.Select(p => new PathRow { ImagePath = p }).ToList());

    private IEstimator<ITransformer> Pipeline(DigitInk ink) =>
        ml.Transforms.LoadImages("Image", imageFolder: null, inputColumnName: "ImagePath")
            .Append(ml.Transforms.NormalizeDigit("Features", "Image", ink));

    private static float[][] Features(MLContext context, ITransformer model, IDataView data) =>
        [.. context.Data.CreateEnumerable<FeaturesRow>(model.Transform(data), reuseRowObject: false).Select(r => r.Features)];

    private float[][] Normalize(DigitInk ink, params string[] paths)
    {
        var data = Paths(paths);
        return Features(ml, Pipeline(ink).Fit(data), data);
    }

    private static string Glyph(int digit, string polarity) => Fixtures.File($"glyphs/{digit}_{polarity}.png");

    private static readonly int[] AllDigits = [.. Enumerable.Range(0, 10)];

    /// <summary>The numpy reference of each glyph (fixtures/make_images.py).</summary>
    private static readonly Lazy<Dictionary<string, float[]>> Expected = new(() =>
        JsonSerializer.Deserialize<Dictionary<string, float[]>>(File.ReadAllText(Fixtures.File("glyphs/expected.json")))!);

    private static float MaxDifference(float[] a, float[] b) => a.Zip(b, (x, y) => Math.Abs(x - y)).Max();

    /// <summary>The centre of mass (x, y), pixel centres at +0.5, of a 28 × 28 image.</summary>
    private static (double X, double Y) CentreOfMass(float[] image)
    {
        double mass = 0, x = 0, y = 0;
        for (int i = 0; i < image.Length; i++)
        {
            mass += image[i];
            x += image[i] * (i % 28 + 0.5);
            y += image[i] * (i / 28 + 0.5);
        }
        return (x / mass, y / mass);
    }

    /// <summary>Width and height of the box holding every pixel above zero.</summary>
    private static (int Width, int Height) InkBox(float[] image)
    {
        var at = Enumerable.Range(0, image.Length).Where(i => image[i] > 0).ToList();
        return (at.Max(i => i % 28) - at.Min(i => i % 28) + 1, at.Max(i => i / 28) - at.Min(i => i / 28) + 1);
    }

    [Test]
    public void NormalizeDigit_AfterLoadImages_FeaturesAreVectorSingle1x28x28AndHelperColumnsGone()
    {
        var data = Paths([Glyph(3, "dark")]);
        var estimator = Pipeline(DigitInk.Auto);

        var schema = estimator.Fit(data).Transform(data).Schema;
        var shape = estimator.GetOutputSchema(Shapes.Of(data.Schema));

        var type = (VectorDataViewType)schema["Features"].Type;
        Assert.That(type.ItemType, Is.EqualTo(NumberDataViewType.Single));
        Assert.That(type.Dimensions.ToArray(), Is.EqualTo(new[] { 1, 28, 28 }));
        Assert.That(type, Is.EqualTo(NormalizeDigitEstimator.OutputType));
        Assert.That(schema.Select(c => c.Name), Is.EqualTo(new[] { "ImagePath", "Image", "Features" }));
        var features = shape.Single(c => c.Name == "Features");
        Assert.That(features.Kind, Is.EqualTo(SchemaShape.Column.VectorKind.Vector));
        Assert.That(features.ItemType, Is.EqualTo(NumberDataViewType.Single));
    }

    [TestCaseSource(nameof(AllDigits))]
    public void NormalizeDigit_CleanGlyphEitherPolarity_MatchesNumpyReference(int digit)
    {
        var dark = Normalize(DigitInk.DarkOnLight, Glyph(digit, "dark"))[0];
        var light = Normalize(DigitInk.LightOnDark, Glyph(digit, "light"))[0];

        // Measured: at most 6e-7 from the reference on all ten digits (single against double precision).
        Assert.That(MaxDifference(dark, Expected.Value[digit.ToString()]), Is.LessThan(1e-4));
        Assert.That(MaxDifference(light, Expected.Value[digit.ToString()]), Is.LessThan(1e-4));
    }

    [Test]
    public void NormalizeDigit_Photos_InkBrightOnBlackFittedIn20x20AndCentred()
    {
        var photos = Fixtures.Photos;
        var features = Normalize(DigitInk.Auto, photos);

        Assert.That(features, Has.Length.EqualTo(30));
        for (int i = 0; i < photos.Length; i++)
        {
            var f = features[i];
            string what = Path.GetRelativePath(Fixtures.Digits, photos[i]);
            Assert.That(f, Has.All.InRange(0f, 1f), what);
            Assert.That(f.Max(), Is.EqualTo(1f), what + ": stroke cores reach full ink");
            Assert.That(f.Count(v => v == 0) / 784.0, Is.GreaterThan(0.5), what + ": the background is black");
            var (w, h) = InkBox(f);
            Assert.That(Math.Max(w, h), Is.EqualTo(20), what + ": the longer side fills the 20 × 20 box");
            Assert.That(Math.Min(w, h), Is.LessThanOrEqualTo(20), what);
            // Placed by a whole-pixel shift: its centre of mass at most half a pixel from the frame's centre.
            var (x, y) = CentreOfMass(f);
            Assert.That(x, Is.EqualTo(14).Within(0.501), what + ": centre of mass, x");
            Assert.That(y, Is.EqualTo(14).Within(0.501), what + ": centre of mass, y");
        }
    }

    [TestCase("blank/white.png")]
    [TestCase("blank/black.bmp")]
    [TestCase("blank/grey.jpg")]
    [TestCase("blank/transparent.png")]
    public void NormalizeDigit_BlankImage_AllZerosWithEveryInkSetting(string file)
    {
        foreach (var ink in Enum.GetValues<DigitInk>())
            Assert.That(Normalize(ink, Fixtures.File(file))[0], Has.All.EqualTo(0f), ink.ToString());
    }

    [Test]
    public void NormalizeDigit_EmptyPath_AllZeros()
        => Assert.That(Normalize(DigitInk.Auto, "")[0], Has.All.EqualTo(0f));

    [Test]
    public void NormalizeDigit_Auto_DecidesEachImagesPolarityAsTheExplicitSettings()
    {
        var dark = AllDigits.Select(d => Glyph(d, "dark")).Concat(Fixtures.Photos).ToArray();
        var light = AllDigits.Select(d => Glyph(d, "light")).ToArray();

        Assert.That(Normalize(DigitInk.Auto, dark), Is.EqualTo(Normalize(DigitInk.DarkOnLight, dark)));
        Assert.That(Normalize(DigitInk.Auto, light), Is.EqualTo(Normalize(DigitInk.LightOnDark, light)));
    }

    [TestCaseSource(nameof(AllDigits))]
    public void NormalizeDigit_WrongPolarity_Blank(int digit)
    {
        var darkAsLight = Normalize(DigitInk.LightOnDark, Glyph(digit, "dark"))[0];
        var lightAsDark = Normalize(DigitInk.DarkOnLight, Glyph(digit, "light"))[0];

        // Read the wrong way round, the paper is taken for ink; it covers more than half the image, so it is also the
        // median "paper" level, no contrast is left and nothing comes out, rather than a page-sized blob.
        Assert.That(darkAsLight, Has.All.EqualTo(0f));
        Assert.That(lightAsDark, Has.All.EqualTo(0f));
    }

    [TestCase(DigitInk.Auto)]
    [TestCase(DigitInk.DarkOnLight)]
    [TestCase(DigitInk.LightOnDark)]
    public void NormalizeDigit_SavedAndLoadedInFreshContext_BitIdenticalFeatures(DigitInk ink)
    {
        using var folder = new TemporaryDirectory();
        string zip = Path.Combine(folder.Path, "normalize.zip");
        var data = Paths(AllDigits.Select(d => Glyph(d, "dark")).Concat(AllDigits.Select(d => Glyph(d, "light"))).Concat(Fixtures.Photos));
        var model = Pipeline(ink).Fit(data);
        var before = Features(ml, model, data);
        ml.Model.Save(model, data.Schema, zip);

        var fresh = new MLContext();
        var loaded = fresh.Model.Load(zip, out var inputSchema);
        var after = Features(fresh, loaded, data);

        Assert.That(inputSchema["ImagePath"].Type, Is.EqualTo(TextDataViewType.Instance));
        Assert.That(loaded.GetOutputSchema(data.Schema)["Features"].Type, Is.EqualTo(NormalizeDigitEstimator.OutputType));
        Assert.That(after, Is.EqualTo(before));
        Assert.That(before.Count(f => f.Any(v => v > 0)), Is.GreaterThanOrEqualTo(30), "the saved pipeline is compared on real digits");
    }

    [Test]
    public void NormalizeDigit_InputColumnIsText_ErrorNamesTheColumnAndLoadImages()
    {
        var data = Paths(["photo.png"]);
        var estimator = ml.Transforms.NormalizeDigit("Features", "ImagePath");

        var fit = Assert.Throws<ArgumentOutOfRangeException>(() => estimator.Fit(data))!;
        var shape = Assert.Throws<ArgumentOutOfRangeException>(() => estimator.GetOutputSchema(Shapes.Of(data.Schema)))!;

        foreach (var e in new[] { fit, shape })
        {
            Assert.That(e.Message, Does.Contain("'ImagePath'").And.Contain("Image").And.Contain("String"));
            Assert.That(e.Message, Does.Contain("LoadImages"));
        }
    }

    [Test]
    public void NormalizeDigit_InputColumnMissing_ErrorNamesTheColumn()
    {
        var data = Pipeline(DigitInk.Auto).Fit(Paths([Glyph(1, "dark")])).Transform(Paths([Glyph(1, "dark")]));
        var estimator = ml.Transforms.NormalizeDigit("Digit", "Photo");

        Assert.That(() => estimator.Fit(data), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contain("'Photo'"));
        Assert.That(() => estimator.GetOutputSchema(Shapes.Of(data.Schema)),
            Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contain("'Photo'"));
    }

    [Test]
    public void NormalizeDigit_BadArguments_Refused()
    {
        Assert.That(() => ml.Transforms.NormalizeDigit(""), Throws.InstanceOf<ArgumentException>());
        Assert.That(() => ml.Transforms.NormalizeDigit("Features", " "), Throws.InstanceOf<ArgumentException>());
        Assert.That(() => ml.Transforms.NormalizeDigit(ink: (DigitInk)7),
            Throws.TypeOf<ArgumentOutOfRangeException>().With.Property(nameof(ArgumentOutOfRangeException.ParamName)).EqualTo("ink"));
    }
}
