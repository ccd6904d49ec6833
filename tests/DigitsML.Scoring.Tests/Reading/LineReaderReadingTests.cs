// LineReaderReadingTests.cs — NumberReader over the trained line reader (the tests' fixture, the shipped reader's
// file): a number of MNIST test digits read whole on paper and on black, the same reading saved-and-loaded, and every
// bad input (blank, noise, a photo of paper without digits, an image bomb, bytes that are no image) an empty reading
// with its reason, the undecodable ones marked Unreadable.
using DigitsML.Imaging;
using DigitsML.Testing;
using Microsoft.ML;

namespace DigitsML.Scoring.Tests.Reading;

[TestFixture]
public class LineReaderReadingTests
{
    private ITransformer model = null!;
    private NumberReader reader = null!;

    [OneTimeSetUp]
    public void Load()
    {
        model = new MLContext().Model.LoadDigitsModel(Fixtures.File("reader-model.zip"), out _);
        reader = new NumberReader(model);
    }

    [OneTimeTearDown]
    public void Dispose() => (model as IDisposable)?.Dispose();

    private static readonly int[] Number = [0, 1, 2, 3, 4, 5];  // MNIST test digits 7, 2, 1, 0, 4, 1

    [TestCase(true)]
    [TestCase(false)]
    public void Read_MnistTestDigitsSideBySide_TheWholeNumber(bool paper)
    {
        var reading = reader.Read(NumberImages.Gray(Number, new NumberImages.Layout { Paper = paper }));

        Assert.That(reader.ReadsWholeLines);
        Assert.That(reading.Text, Is.EqualTo(NumberImages.Text(Number)));
        Assert.That(reading.Digits.Select(d => d.Box.X), Is.Ordered, "boxes left to right");
    }

    [Test]
    public void Read_PngBytes_SameAsThePixels()
    {
        var image = NumberImages.Gray(Number, new NumberImages.Layout());
        var fromPixels = reader.Read(image);
        var fromPng = reader.Read(NumberImages.Png(image));
        Assert.That(fromPng.Text, Is.EqualTo(fromPixels.Text));
        Assert.That(fromPng.Confidences, Is.EqualTo(fromPixels.Confidences).Within(1e-3f));
    }

    [Test]
    public void Read_SavedAndLoadedReader_ScoresIdentically()
    {
        var ml = new MLContext();
        using var saved = new MemoryStream();
        ml.Model.Save(model, LineReader.InputSchema, saved);
        saved.Position = 0;
        var loaded = ml.Model.LoadDigitsModel(saved, out _);
        var image = NumberImages.Gray(Number, new NumberImages.Layout());
        var line = NumberLine.FromGray(image.Width, image.Height, image.Pixels, DigitInk.Auto, out _)!;
        Assert.That(new LineReader(loaded).Frames(line), Is.EqualTo(new LineReader(model).Frames(line)));
        (loaded as IDisposable)?.Dispose();
    }

    [Test]
    public void Read_Blank_EmptyWithReason()
    {
        var reading = reader.Read(new GrayImage(200, 60, Enumerable.Repeat(0.85f, 200 * 60).ToArray()));
        Assert.That(reading.Digits, Is.Empty);
        Assert.That(reading.Reason, Does.Contain("no ink"));
        Assert.That(reading.Unreadable, Is.False);
    }

    [Test]
    public void Read_Noise_EmptyWithReason()
    {
        var rng = new Random(3);
        var reading = reader.Read(new GrayImage(300, 100, Enumerable.Range(0, 300 * 100).Select(_ => (float)rng.NextDouble()).ToArray()));
        Assert.That(reading.Digits, Is.Empty);
        Assert.That(reading.Reason, Is.Not.Null.And.Not.Empty);
    }

    [Test]
    public void Read_PhotoOfRuledPaperWithoutDigits_EmptyWithReason()
    {
        // Tinted paper in uneven light with three ruled lines and no writing.
        int w = 400, h = 120;
        var gray = new float[w * h];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                gray[y * w + x] = (y % 40 == 20 ? 0.55f : 0.9f) * (1 - 0.3f * x / w);
        var reading = reader.Read(new GrayImage(w, h, gray));
        Assert.That(reading.Digits, Is.Empty);
        Assert.That(reading.Reason, Is.Not.Null.And.Not.Empty);
    }

    [Test]
    public void Read_ImageBomb_UnreadableBeforeDecoding()
    {
        string folder = Directory.CreateTempSubdirectory("digitsml-bomb-").FullName;
        try
        {
            string bomb = HostileFiles.PngBomb(Path.Combine(folder, "bomb.png"));
            var reading = reader.ReadFile(bomb);
            Assert.That(reading.Digits, Is.Empty);
            Assert.That(reading.Unreadable);
            Assert.That(reading.Reason, Does.Contain(bomb));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public void Read_BytesThatAreNoImage_Unreadable()
    {
        var reading = reader.Read("not an image at all"u8);
        Assert.That(reading.Digits, Is.Empty);
        Assert.That(reading.Unreadable);
    }
}
