// NumberReaderTests.cs — NumberReader with a real DigitsML model: numbers built from MNIST's test digits read right on
// paper and on black, touching digits split, lines and specks ignored, uncertain digits marked, bad input explained,
// and many threads at once.
using DigitsML.Imaging;
using Microsoft.ML;

namespace DigitsML.Scoring.Tests.Reading;

[TestFixture]
public sealed class NumberReaderTests
{
    // MNIST's first five test images, 7 2 1 0 4: clear digits each model reads right on its own.
    private static readonly int[] Number = [0, 1, 2, 3, 4];

    private static NumberReader Reader => ReadingModel.Reader;

    [TestCase(true)]
    [TestCase(false)]
    public void Read_SeparateDigits_TheNumberLeftToRight(bool paper)
    {
        var layout = new NumberImages.Layout { Paper = paper };
        var boxes = NumberImages.Compose(Number, layout).Boxes;

        var reading = Reader.Read(NumberImages.Gray(Number, layout));

        Assert.That(reading.Text, Is.EqualTo("72104"));
        Assert.That(reading.Reason, Is.Null);
        Assert.That(reading.IsCertain, Is.True, string.Join(", ", reading.Confidences));
        Assert.That(reading.MarkedText, Is.EqualTo(reading.Text));
        for (int d = 0; d < boxes.Length; d++)
        {
            var (found, drawn) = (reading.Digits[d].Box, boxes[d]);
            Assert.That(found.X + found.Width / 2, Is.InRange(drawn.X, drawn.X + drawn.Width), $"digit {d} found within its drawn box");
            Assert.That(reading.Digits[d].Confidence, Is.InRange(0.6f, 1f));
        }
    }

    [TestCase(new[] { 1, 2 }, -3, TestName = "Read_TouchingDigits_SplitIntoBoth(21)")]
    [TestCase(new[] { 3, 4 }, -4, TestName = "Read_OverlappingDigits_SplitIntoBoth(04)")]
    [TestCase(new[] { 0, 7 }, -2, TestName = "Read_TouchingDigits_SplitIntoBoth(79)")]
    public void Read_TouchingDigits_SplitWhereTheModelIsSurest(int[] indices, int gap)
    {
        var image = NumberImages.Gray(indices, new NumberImages.Layout { Gap = gap });
        var map = DigitsML.Reading.InkMap.Find(image, DigitInk.Auto)!;
        Assert.That(DigitsML.Reading.InkBlobs.Find(map, 0.04f, 128)!.Blobs, Has.Count.LessThan(indices.Length), "some digits touch");

        var reading = Reader.Read(image);

        Assert.That(reading.Text, Is.EqualTo(NumberImages.Text(indices)));
    }

    [Test]
    public void Read_RuledPaperUnevenLightAndASpeck_TheNumberOnly()
    {
        var layout = new NumberImages.Layout { Lines = 14, LightRight = 0.55f, Speck = 3 };

        var reading = Reader.Read(NumberImages.Gray(Number, layout));

        Assert.That(reading.Text, Is.EqualTo("72104"));
    }

    [Test]
    public void Read_PngBytes_SameReadingAsThePixels()
    {
        var image = NumberImages.Gray(Number, new NumberImages.Layout());

        var fromBytes = Reader.Read(NumberImages.Png(image));

        var fromPixels = Reader.Read(image);
        Assert.That(fromBytes.Text, Is.EqualTo(fromPixels.Text));
        Assert.That(fromBytes.Digits.Select(d => d.Box), Is.EqualTo(fromPixels.Digits.Select(d => d.Box)));
    }

    [Test]
    public void Read_ThresholdAboveEveryConfidence_EveryDigitMarked()
    {
        var image = NumberImages.Gray(Number, new NumberImages.Layout());
        var strict = new NumberReader(ReadingModel.Model, new ReadingOptions { UncertainBelow = 1, UncertainMark = '*' });

        var reading = strict.Read(image);

        var uncertain = reading.Digits.Select(d => d.Confidence < 1).ToArray();
        Assert.That(reading.Digits.Select(d => d.Uncertain), Is.EqualTo(uncertain));
        Assert.That(reading.MarkedText, Is.EqualTo(string.Concat(reading.Digits.Select(d => d.Uncertain ? "*" : d.Value))));
        Assert.That(reading.Text, Is.EqualTo("72104"), "the guesses are kept beside the marks");
        Assert.That(reading.IsCertain, Is.EqualTo(!uncertain.Contains(true)));
    }

    [Test]
    public void Read_BlankPage_EmptyReadingSayingNoInk()
    {
        var blank = new GrayImage(200, 80, Enumerable.Repeat(0.9f, 200 * 80).ToArray());

        var reading = Reader.Read(NumberImages.Png(blank));

        Assert.That(reading.Digits, Is.Empty);
        Assert.That(reading.Text, Is.Empty);
        Assert.That(reading.Reason, Does.Contain("no ink"));
        Assert.That(reading.IsCertain, Is.False);
    }

    [Test]
    public void Read_BadBytes_EmptyReadingSayingWhy()
    {
        Assert.That(Reader.Read([]).Reason, Does.Contain("empty"));
        Assert.That(Reader.Read("not an image at all"u8).Reason, Does.Contain("not an image"));
        var png = NumberImages.Png(NumberImages.Gray(Number, new NumberImages.Layout()));
        Assert.That(Reader.Read(png.AsSpan(0, png.Length / 2)).Reason, Does.Contain("truncated"));
    }

    [Test]
    public void ReadFile_MissingFile_EmptyReadingNamingIt()
    {
        string path = Path.Combine(Path.GetTempPath(), $"digitsml-missing-{Guid.NewGuid():N}.png");

        var reading = Reader.ReadFile(path);

        Assert.That(reading.Digits, Is.Empty);
        Assert.That(reading.Reason, Does.StartWith(path));
    }

    [Test]
    public void Read_NoisePage_EmptyReadingQuickly()
    {
        // 600 × 400 of random grey: no paper to tell ink from.
        var random = new Random(1);
        var noise = new GrayImage(600, 400, Enumerable.Range(0, 600 * 400).Select(_ => (float)random.NextDouble()).ToArray());
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var reading = Reader.Read(noise);

        Assert.That(reading.Digits, Is.Empty);
        Assert.That(reading.Reason, Does.Contain("noise"));
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)), "refused before grouping the pieces");
    }

    [Test]
    public void Read_ScatteredDots_EmptyReadingQuickly()
    {
        // 2,000 separate dots of one pixel on white paper: far more pieces than a number has.
        var pixels = Enumerable.Repeat(0.95f, 800 * 400).ToArray();
        for (int i = 0; i < 2000; i++)
            pixels[(i / 50 * 10 + 2) * 800 + i % 50 * 16 + 2] = 0.05f;
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var reading = Reader.Read(new GrayImage(800, 400, pixels));

        Assert.That(reading.Reason, Does.Contain("separate pieces of ink"));
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)), "refused before grouping thousands of pieces");
    }

    [Test]
    public void Read_TooManyPixels_EmptyReadingSayingSo()
    {
        var small = new NumberReader(ReadingModel.Model, new ReadingOptions { MaxPixels = 1000 });

        var reading = small.Read(NumberImages.Png(NumberImages.Gray(Number, new NumberImages.Layout())));

        Assert.That(reading.Reason, Does.Contain("1,000"));
    }

    [Test]
    public void Constructor_ModelWithoutScores_ArgumentExceptionSayingSo()
    {
        var ml = new MLContext();
        var notAClassifier = ml.Transforms.CopyColumns("Copy", "Features").Fit(ml.Data.LoadFromEnumerable(Array.Empty<DigitInput>()));

        Assert.That(() => new NumberReader(notAClassifier), Throws.ArgumentException.With.Message.Contains("Score"));
    }

    [Test]
    public void Constructor_OptionOutOfRange_NamesIt()
    {
        Assert.That(() => new NumberReader(ReadingModel.Model, new ReadingOptions { UncertainBelow = 1.5f }),
            Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("UncertainBelow"));
        Assert.That(() => new NumberReader(ReadingModel.Model, new ReadingOptions { UncertainMark = '7' }),
            Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("UncertainMark"));
    }

    [Test]
    public void Read_FromManyThreads_SameAsOneByOne()
    {
        var images = new[] { true, false }.Select(paper => NumberImages.Png(NumberImages.Gray(Number, new NumberImages.Layout { Paper = paper })))
            .Append(NumberImages.Png(NumberImages.Gray([5, 6, 7], new NumberImages.Layout { Gap = -2 }))).ToArray();
        var once = images.Select(i => Reader.Read(i)).ToArray();

        var results = new NumberReading[6 * images.Length];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 6 }, i => results[i] = Reader.Read(images[i % images.Length]));

        for (int i = 0; i < results.Length; i++)
        {
            Assert.That(results[i].Text, Is.EqualTo(once[i % images.Length].Text));
            Assert.That(results[i].Confidences, Is.EqualTo(once[i % images.Length].Confidences));
        }
    }

    [TestCase("1274", "1274", 0)]
    [TestCase("1274", "1284", 1)]   // misread
    [TestCase("174", "1274", 1)]    // missed
    [TestCase("12774", "1274", 1)]  // added
    [TestCase("", "1274", 4)]
    [TestCase("98765", "12", 2)]    // never more than the digits written
    public void DigitErrors_ReadAgainstWritten_EditDistanceCappedAtDigitsWritten(string read, string written, int expected)
    {
        var reading = new NumberReading { Digits = [.. read.Select(c => new ReadDigit(c.ToString(), 0.9f, new DigitBox(0, 0, 1, 1), false))] };

        Assert.That(reading.DigitErrors(written), Is.EqualTo(expected));
    }
}
