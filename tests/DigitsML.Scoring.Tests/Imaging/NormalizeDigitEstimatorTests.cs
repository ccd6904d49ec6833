// NormalizeDigitEstimatorTests.cs — ml.Transforms.NormalizeDigit in ML.NET pipelines after LoadImages: what it makes of the
// photo fixtures, images it cannot read, and the schema errors it gives. Conformance is in DigitsML.Tests' Pipeline/ConformanceTests.cs.
using DigitsML.Imaging;
using DigitsML.Testing;
using DigitsML.Tests.Imaging;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DigitsML.Scoring.Tests.Imaging;

public sealed class NormalizeDigitEstimatorTests
{
    private static IEstimator<ITransformer> Read(MLContext ml, DigitInk ink = DigitInk.Auto) =>
        ml.Transforms.LoadImages("Image", imageFolder: null, inputColumnName: "ImagePath").Append(ml.Transforms.NormalizeDigit(ink: ink));

    private static List<float[]> Features(MLContext ml, IDataView paths, DigitInk ink = DigitInk.Auto) =>
        [.. Read(ml, ink).Fit(paths).Transform(paths).GetColumn<float[]>("Features")];

    [Test]
    public void Transform_PhotoFolder_EveryPhotoAsTheNormalizerMakesIt()
    {
        var ml = new MLContext();
        var photos = ml.Data.LoadFromImageFolder(ImageFixtures.Digits);
        var paths = photos.GetColumn<string>("ImagePath").ToList();

        var features = Features(ml, photos);

        Assert.That(paths.Select(Path.GetExtension).Distinct().Order(), Is.EqualTo(new[] { ".bmp", ".jpg", ".png" }), "the fixtures' formats");
        Assert.That(features, Has.Count.EqualTo(30));
        for (int i = 0; i < paths.Count; i++)
        {
            using var image = MLImage.CreateFromFile(paths[i]);
            var expected = new float[784];
            DigitNormalizer.Normalize(GrayImage.FromMLImage(image), DigitInk.Auto, expected);
            Assert.That(features[i], Is.EqualTo(expected), Path.GetFileName(paths[i]));
        }
    }

    [Test]
    public void Transform_EmptyPath_GivesZeros()
    {
        var ml = new MLContext();
        var paths = ml.Data.LoadFromEnumerable(new[] { new PathRow { ImagePath = "" } });

        Assert.That(Features(ml, paths).Single(), Has.All.EqualTo(0f));
    }

    [Test]
    public void Transform_InvertedPhoto_AutoReadsTheInkAsDarkOnLight()
    {
        // The same photo as white ink on black: Auto must see light ink and give what DarkOnLight gives for the original.
        var ml = new MLContext();
        using var folder = new TemporaryDirectory();
        string original = Path.Combine(ImageFixtures.Digits, "4", "photo2.png");
        string inverted = Path.Combine(folder.Path, "inverted.png");
        using (var image = MLImage.CreateFromFile(original))
        {
            var grey = GrayImage.FromMLImage(image);
            WritePng(inverted, grey.Width, grey.Height, [.. grey.Pixels.ToArray().Select(v => (byte)Math.Round(255 * (1 - v)))]);
        }
        var rows = ml.Data.LoadFromEnumerable(new[] { new PathRow { ImagePath = original }, new PathRow { ImagePath = inverted } });

        var auto = Features(ml, rows);

        Assert.That(Features(ml, rows, DigitInk.DarkOnLight)[0], Is.EqualTo(auto[0]));
        Assert.That(Features(ml, rows, DigitInk.LightOnDark)[1], Is.EqualTo(auto[1]));
        Assert.That(Correlation(auto[0], auto[1]), Is.GreaterThan(0.95), "both polarities give the same digit");
    }

    [Test]
    public void Transform_CorruptImage_ThrowsWhenReadAndTheProcessGoesOn()
    {
        var ml = new MLContext();
        using var folder = new TemporaryDirectory();
        Directory.CreateDirectory(Path.Combine(folder.Path, "5"));
        string bad = Path.Combine(folder.Path, "5", "bad.png");
        File.WriteAllBytes(bad, [0x89, (byte)'P', (byte)'N', (byte)'G', 13, 10, 26, 10, 0, 0]);
        var data = ml.Data.LoadFromImageFolder(folder.Path);
        var features = Read(ml).Fit(data).Transform(data); // lazy: nothing is read yet

        var e = Assert.Catch(() => features.GetColumn<float[]>("Features").ToList());

        TestContext.Out.WriteLine(string.Join(" <- ", Chain(e!).Select(x => $"{x.GetType().Name}: {x.Message}")));
        // What ML.NET 5.0.1's LoadImages gives: its worker's InvalidOperationException around MLImage's ArgumentException.
        // Neither names the file (issue 11 part 5 asks for that; not met yet, so this checks what happens today).
        Assert.That(e, Is.InstanceOf<InvalidOperationException>());
        Assert.That(e!.GetBaseException(), Is.InstanceOf<ArgumentException>().With.Message.Contains("Invalid input stream contents"));
        Assert.That(Features(ml, ml.Data.LoadFromImageFolder(ImageFixtures.Digits)), Has.Count.EqualTo(30), "the next pipeline still reads");
    }

    /// <summary>Found by the image fuzzer: a BMP whose pixel-data offset (bytes 10 to 13) points past 2 GiB. ML.NET's
    /// LoadImages decodes through <c>MLImage.CreateFromStream</c>; Skia then asks SkiaSharp 2.88.9's managed stream to skip
    /// that far, <c>SKManagedStream.OnReadManagedStream</c> casts the size to int, and the OverflowException it throws inside
    /// a native callback ends the process (<c>MLImage.CreateFromFile</c> on the same file refuses it cleanly). Issue 11
    /// part 5 asks for an error here, never a crash: this is what must hold once that is mended.</summary>
    [Test]
    [Explicit("Crashes the test host today (SkiaSharp 2.88.9 under ML.NET's LoadImages, reported); run it alone to reproduce.")]
    public void LoadImages_BmpWithPixelOffsetPast2GiB_RefusedWithoutCrashing()
    {
        var ml = new MLContext();
        using var folder = new TemporaryDirectory();
        byte[] bmp = File.ReadAllBytes(ImageFixtures.Format("bmp_24_pil.bmp"));
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(bmp.AsSpan(10), 0x8000_003E);
        string path = Path.Combine(folder.Path, "offset.bmp");
        File.WriteAllBytes(path, bmp);
        var paths = ml.Data.LoadFromEnumerable(new[] { new PathRow { ImagePath = path } });

        Assert.That(() => MLImage.CreateFromFile(path), Throws.ArgumentException, "decoded from the file, it is refused");
        Assert.That(() => Features(ml, paths), Throws.Exception, "through LoadImages, it must be refused too");
    }

    private static IEnumerable<Exception> Chain(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
            yield return x;
    }

    [Test]
    public void Fit_WrongInputColumn_ThrowsSchemaMismatchNamingIt()
    {
        var ml = new MLContext();
        var idx = ml.Data.TakeRows(ml.Data.LoadFromIdx(TestData.TestImages, TestData.TestLabels), 2);

        var notImage = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.NormalizeDigit("F", "Features").Fit(idx))!;
        var missing = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.NormalizeDigit(inputColumnName: "Absent").Fit(idx))!;
        var shape = Assert.Throws<ArgumentOutOfRangeException>(() =>
            ml.Transforms.NormalizeDigit("F", "Features").GetOutputSchema(Shapes.Of(idx.Schema)))!;

        Assert.That(notImage.Message, Does.Contain("'Features'").And.Contain("expected Image").And.Contain("LoadImages"));
        Assert.That(missing.Message, Does.Contain("'Absent'").And.Contain("not found"));
        Assert.That(shape.Message, Does.Contain("'Features'").And.Contain("LoadImages"));
    }

    [Test]
    public void Create_BadArguments_Throw()
    {
        var transforms = new MLContext().Transforms;
        Assert.Throws<ArgumentOutOfRangeException>(() => transforms.NormalizeDigit(ink: (DigitInk)7));
        Assert.Throws<ArgumentException>(() => transforms.NormalizeDigit(outputColumnName: " "));
        Assert.Throws<ArgumentException>(() => transforms.NormalizeDigit(inputColumnName: ""));
    }

    public sealed class PathRow
    {
        public string ImagePath { get; set; } = "";
    }

    private static double Correlation(float[] a, float[] b)
    {
        double ma = a.Average(), mb = b.Average(), ab = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            ab += (a[i] - ma) * (b[i] - mb);
            aa += (a[i] - ma) * (a[i] - ma);
            bb += (b[i] - mb) * (b[i] - mb);
        }
        return ab / Math.Sqrt(aa * bb);
    }

    /// <summary>An 8-bit grey PNG, written by SkiaSharp (what ImageAnalytics decodes with).</summary>
    private static void WritePng(string path, int width, int height, byte[] grey)
    {
        using var bitmap = new SkiaSharp.SKBitmap(new SkiaSharp.SKImageInfo(width, height, SkiaSharp.SKColorType.Gray8, SkiaSharp.SKAlphaType.Opaque));
        System.Runtime.InteropServices.Marshal.Copy(grey, 0, bitmap.GetPixels(), grey.Length);
        using var png = bitmap.Encode(SkiaSharp.SKEncodedImageFormat.Png, 100);
        File.WriteAllBytes(path, png.ToArray());
    }
}
