// SegmentationTests.cs — finding a number's digits without a model: the ink map (paper, light, ruled lines) and the
// blobs (specks dropped, broken strokes joined, touching digits kept together for the splitter), on images built here
// from MNIST's test digits.
using DigitsML.Imaging;
using DigitsML.Reading;

namespace DigitsML.Scoring.Tests.Reading;

[TestFixture]
public sealed class SegmentationTests
{
    // Clear, well separated test digits: 7, 2, 1, 0, 4 (MNIST's first test images).
    private static readonly int[] Number = [0, 1, 2, 3, 4];

    private static InkBlobs Blobs(GrayImage image, DigitInk ink = DigitInk.Auto)
    {
        var map = InkMap.Find(image, ink);
        Assert.That(map, Is.Not.Null, "ink found");
        return InkBlobs.Find(map!, new ReadingOptions().SpeckShare, 128)!;
    }

    /// <summary>How many pixels of each drawn digit's box the blob covering it covers: each digit must be one blob.</summary>
    private static void AssertOneBlobPerDigit(InkBlobs blobs, DigitBox[] boxes)
    {
        Assert.That(blobs.Blobs, Has.Count.EqualTo(boxes.Length));
        for (int d = 0; d < boxes.Length; d++)
        {
            var blob = blobs.Blobs[d];
            var box = boxes[d];
            Assert.Multiple(() =>
            {
                // The mask's cut at 40 % of the ink's contrast loses a pixel or two of a digit's faint edge; where a
                // ruled line meets a stroke, a pixel of the line is kept beside the stroke.
                Assert.That(blob.X0, Is.InRange(box.X - 1, box.X + 3), $"digit {d} left");
                Assert.That(blob.X1, Is.InRange(box.X + box.Width - 4, box.X + box.Width), $"digit {d} right");
                Assert.That(blob.Y0, Is.InRange(box.Y - 1, box.Y + 3), $"digit {d} top");
                Assert.That(blob.Y1, Is.InRange(box.Y + box.Height - 4, box.Y + box.Height), $"digit {d} bottom");
            });
        }
    }

    [TestCase(true)]
    [TestCase(false)]
    public void Blobs_SeparateDigits_OneBlobPerDigitLeftToRight(bool paper)
    {
        var layout = new NumberImages.Layout { Paper = paper };
        var boxes = NumberImages.Compose(Number, layout).Boxes;

        var map = InkMap.Find(NumberImages.Gray(Number, layout), DigitInk.Auto);

        Assert.That(map!.Inverted, Is.EqualTo(paper), "dark ink on light paper is inverted, light on black is not");
        AssertOneBlobPerDigit(InkBlobs.Find(map, new ReadingOptions().SpeckShare, 128)!, boxes);
    }

    [Test]
    public void Blobs_WithASpeck_SpeckIgnored()
    {
        var layout = new NumberImages.Layout { Speck = 3 };
        var (ink, w, _, boxes) = NumberImages.Compose(Number, layout);
        var last = boxes[^1];
        Assert.That(ink[(last.Y - layout.Margin / 2) * w + last.X + last.Width + layout.Margin / 2 - 1], Is.EqualTo(1), "the speck is drawn");

        var blobs = Blobs(NumberImages.Gray(Number, layout));

        AssertOneBlobPerDigit(blobs, boxes);
        Assert.That(blobs.Blobs.Max(b => b.X1), Is.LessThan(w - layout.Margin / 2 - 1), "no blob reaches the speck");
    }

    [Test]
    public void Blobs_OnRuledPaperInUnevenLight_LinesRemovedDigitsKept()
    {
        // Dark grey lines every 14 pixels, through the digits, and the light falling to 55 % on the right.
        var layout = new NumberImages.Layout { Lines = 14, LightRight = 0.55f };
        var boxes = NumberImages.Compose(Number, layout).Boxes;

        var blobs = Blobs(NumberImages.Gray(Number, layout));

        AssertOneBlobPerDigit(blobs, boxes);
    }

    [Test]
    public void Blobs_BrokenStroke_JoinedIntoOneDigit()
    {
        // A 5 (test image 15) with a 3-pixel band erased across it below its hat: two pieces, one above the other.
        int[] five = [15];
        Assert.That(NumberImages.Label(15), Is.EqualTo(5));
        var layout = new NumberImages.Layout { Paper = false };
        var (ink, w, h, boxes) = NumberImages.Compose(five, layout);
        var box = boxes[0];
        int cut = box.Y + box.Height / 4;
        for (int y = cut; y < cut + 3; y++)
            for (int x = 0; x < w; x++)
                ink[y * w + x] = 0;
        var map = InkMap.Find(new GrayImage(w, h, ink), DigitInk.LightOnDark)!;

        var blobs = InkBlobs.Find(map, new ReadingOptions().SpeckShare, 128)!;

        Assert.That(blobs.Blobs, Has.Count.EqualTo(1));
        Assert.That(blobs.Blobs[0].Y0, Is.LessThan(cut), "the hat is part of it");
    }

    [Test]
    public void Blobs_TouchingDigits_OneWideBlob()
    {
        // 2 and 1 overlapping by 3 pixels: one piece of ink, left for the splitter to cut.
        var layout = new NumberImages.Layout { Gap = -3 };

        var blobs = Blobs(NumberImages.Gray([1, 2], layout));

        Assert.That(blobs.Blobs, Has.Count.EqualTo(1));
        Assert.That(blobs.Blobs[0].Width, Is.GreaterThan(blobs.DigitHeight * new ReadingOptions().SplitWiderThan));
    }

    [TestCase(0.95f)]
    [TestCase(0.0f)]
    public void InkMap_BlankPage_NoInk(float level)
    {
        var pixels = Enumerable.Range(0, 120 * 60).Select(i => level + (level > 0.5f ? -1 : 1) * 0.01f * (i % 3)).ToArray();

        Assert.That(InkMap.Find(new GrayImage(120, 60, pixels), DigitInk.Auto), Is.Null);
    }

    [Test]
    public void InkMap_ShadowAcrossBlankPaper_NoInk()
    {
        // Paper lit from 95 % on the left down to 45 % on the right: a shadow, not ink.
        var pixels = Enumerable.Range(0, 200 * 80).Select(i => 0.95f - 0.5f * (i % 200) / 199f).ToArray();

        Assert.That(InkMap.Find(new GrayImage(200, 80, pixels), DigitInk.Auto), Is.Null);
    }
}
