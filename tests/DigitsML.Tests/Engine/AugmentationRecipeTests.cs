// AugmentationRecipeTests.cs — the augmentation options beyond rotation and shift: each operation's effect on a known
// image, the first edition's draws kept, seeded repeatability, option checks, and a short training run using them all.
using DigitsML.Engine;
using DigitsML.Networks;
using DigitsML.Trainers;
using static TorchSharp.torch;

namespace DigitsML.Tests.Engine;

[TestFixture]
public sealed class AugmentationRecipeTests
{
    private const int Side = 28;
    private static readonly TensorShape Shape = TensorShape.Mnist;

    /// <summary>Every option on, as a recipe would set them.</summary>
    private static readonly ImageAugmentation Everything = new()
    {
        MaxRotationDegrees = 30, MaxTranslation = 0.15, MinScale = 0.6, MaxScale = 1.35, MaxShear = 0.5,
        StrokeProbability = 0.5, BlurProbability = 0.5, LinesProbability = 0.5, ScribbleProbability = 0.5,
        ContrastProbability = 0.5, BackgroundProbability = 0.5, NoiseProbability = 0.5, ImpulseProbability = 0.5,
        ElasticProbability = 0.5, LowResolutionProbability = 0.5,
    };

    /// <summary>Applies <paramref name="augmentation"/> to <paramref name="count"/> copies of <paramref name="image"/>.</summary>
    private static float[][] Apply(ImageAugmentation augmentation, float[] image, int count = 1, int seed = 1)
    {
        var all = Enumerable.Range(0, count).SelectMany(_ => image).ToArray();
        using var batch = tensor(all, [count, 1, Side, Side]);
        using var output = augmentation.Apply(batch, Shape, new Random(seed));
        var values = output.contiguous().data<float>().ToArray();
        return Enumerable.Range(0, count).Select(i => values.AsSpan(i * 784, 784).ToArray()).ToArray();
    }

    private static float[] Filled(float value) => Enumerable.Repeat(value, 784).ToArray();

    private static float[] Square(int left, int top, int size)
    {
        var image = new float[784];
        for (int y = top; y < top + size; y++)
            for (int x = left; x < left + size; x++)
                image[y * Side + x] = 1f;
        return image;
    }

    private static (double X, double Y) CentreOfMass(float[] image)
    {
        double sum = 0, sx = 0, sy = 0;
        for (int i = 0; i < image.Length; i++)
        {
            sum += image[i];
            sx += image[i] * (i % Side);
            sy += image[i] * (i / Side);
        }
        return (sx / sum, sy / sum);
    }

    [Test]
    public void IsActive_DefaultsOff_EachOptionTurnsItOn()
    {
        Assert.That(new ImageAugmentation().IsActive, Is.False);
        Assert.That(ImageAugmentation.None.IsActive, Is.False);
        foreach (var on in new[]
                 {
                     new ImageAugmentation { MinScale = 0.8 }, new ImageAugmentation { MaxScale = 1.2 }, new ImageAugmentation { MaxShear = 0.1 },
                     new ImageAugmentation { StrokeProbability = 0.1 }, new ImageAugmentation { BlurProbability = 0.1 },
                     new ImageAugmentation { LinesProbability = 0.1 }, new ImageAugmentation { ScribbleProbability = 0.1 },
                     new ImageAugmentation { ContrastProbability = 0.1 }, new ImageAugmentation { BackgroundProbability = 0.1 },
                     new ImageAugmentation { NoiseProbability = 0.1 }, new ImageAugmentation { ImpulseProbability = 0.1 },
                     new ImageAugmentation { ElasticProbability = 0.1 }, new ImageAugmentation { LowResolutionProbability = 0.1 },
                 })
            Assert.That(on.IsActive, Is.True, on.ToString());
    }

    [Test]
    public void Apply_AnEtAl_DrawsAndMovesAsTheFirstEditionDid()
    {
        // The first edition drew an angle, a shift x and a shift y per image, in that order, and resampled once.
        var images = Enumerable.Range(0, 3 * 784).Select(i => (i * 7 % 256) / 255f).ToArray();
        var random = new Random(5);
        var degrees = new float[3];
        var shifts = new float[6];
        for (int i = 0; i < 3; i++)
        {
            degrees[i] = (float)((random.NextDouble() * 2 - 1) * 20);
            shifts[2 * i] = (float)((random.NextDouble() * 2 - 1) * 0.2);
            shifts[2 * i + 1] = (float)((random.NextDouble() * 2 - 1) * 0.2);
        }
        var expected = new float[images.Length];
        ImageAugmentation.Transform(images, expected, 3, Shape, degrees, shifts);

        using var batch = tensor(images, [3, 1, Side, Side]);
        using var output = ImageAugmentation.AnEtAl.Apply(batch, Shape, new Random(5));

        Assert.That(output.data<float>().ToArray(), Is.EqualTo(expected));
    }

    [Test]
    public void Apply_Scale_MovesTheCentreOfMassByTheDrawnFactor()
    {
        // A 4 × 4 square 5 pixels right of and below the centre (13.5, 13.5); the factor is the fourth draw.
        var augmentation = new ImageAugmentation { MinScale = 0.5, MaxScale = 2 };
        var random = new Random(3);
        random.NextDouble(); random.NextDouble(); random.NextDouble();
        double factor = Math.Exp(Math.Log(0.5) + random.NextDouble() * (Math.Log(2) - Math.Log(0.5)));

        var (x, y) = CentreOfMass(Apply(augmentation, Square(17, 17, 4), seed: 3)[0]);

        Assert.That(x - 13.5, Is.EqualTo(5 * factor).Within(0.25), $"factor {factor}");
        Assert.That(y - 13.5, Is.EqualTo(5 * factor).Within(0.25), $"factor {factor}");
    }

    [Test]
    public void Apply_Shear_MovesRowsSidewaysInProportionToTheirHeight()
    {
        var augmentation = new ImageAugmentation { MaxShear = 0.5 };
        var random = new Random(4);
        random.NextDouble(); random.NextDouble(); random.NextDouble();
        double shear = (random.NextDouble() * 2 - 1) * 0.5;

        // Two squares 6 pixels above and below the centre move opposite ways by shear × 6.
        var (xBelow, _) = CentreOfMass(Apply(augmentation, Square(13, 19, 2), seed: 4)[0]);
        var (xAbove, _) = CentreOfMass(Apply(augmentation, Square(13, 7, 2), seed: 4)[0]);

        Assert.That(xBelow - 13.5, Is.EqualTo(6 * shear).Within(0.15), $"shear {shear}");
        Assert.That(xAbove - 13.5, Is.EqualTo(-6 * shear).Within(0.15), $"shear {shear}");
    }

    [Test]
    public void Apply_Stroke_WidensOrNarrowsAThreePixelBar()
    {
        // A bar 3 pixels wide (columns 12-14) from row 5 to 22: dilated it covers columns 11-15, eroded column 13 only.
        var bar = new float[784];
        for (int y = 5; y <= 22; y++)
            for (int x = 12; x <= 14; x++)
                bar[y * Side + x] = 1f;

        var outputs = Apply(new ImageAugmentation { StrokeProbability = 1 }, bar, count: 16);

        int widened = 0, narrowed = 0;
        foreach (var image in outputs)
        {
            int columns = Enumerable.Range(0, Side).Count(x => image[14 * Side + x] > 0.5f);
            Assert.That(columns, Is.EqualTo(5).Or.EqualTo(1), "row 14 of a widened (5) or narrowed (1) bar");
            if (columns == 5)
                widened++;
            else
            {
                narrowed++;
                Assert.That(image.Max(), Is.EqualTo(1f), "stretched back to the peak");
                Assert.That(image[14 * Side + 13], Is.EqualTo(1f));
            }
        }
        Assert.That(widened, Is.GreaterThan(0));
        Assert.That(narrowed, Is.GreaterThan(0));
    }

    [Test]
    public void Apply_Blur_SpreadsAPixelKeepingItsMassAndSymmetry()
    {
        var dot = new float[784];
        dot[14 * Side + 14] = 1f;

        foreach (var image in Apply(new ImageAugmentation { BlurProbability = 1, MaxBlurSigma = 2 }, dot, count: 4))
        {
            Assert.That(image.Sum(), Is.EqualTo(1f).Within(1e-4), "a normalised kernel");
            Assert.That(image[14 * Side + 14], Is.LessThan(0.9f).And.GreaterThan(0f), "σ is at least 0.3 across, 0.5 along");
            Assert.That(image[14 * Side + 14], Is.EqualTo(image.Max()));
            for (int d = 1; d <= 4; d++) // the Gaussian is point-symmetric about the dot
                Assert.That(image[(14 + d) * Side + 14 + 1], Is.EqualTo(image[(14 - d) * Side + 14 - 1]).Within(1e-6));
        }
    }

    [Test]
    public void Apply_Lines_LightsWholeRowsEvenlySpacedUnderTheInk()
    {
        var image = Square(10, 10, 8);
        var output = Apply(new ImageAugmentation { LinesProbability = 1 }, image)[0];

        var lit = Enumerable.Range(0, Side).Where(y => output[y * Side] > 0).ToList();
        Assert.That(lit, Is.Not.Empty);
        foreach (int y in lit)
            Assert.That(Enumerable.Range(0, Side).All(x => output[y * Side + x] == (image[y * Side + x] == 1f ? 1f : output[y * Side])), Is.True,
                "a lit row is one level everywhere but the ink, which stays 1");
        Assert.That(output[lit[0] * Side], Is.InRange(0.3f, 0.8f));
        foreach (int y in Enumerable.Range(0, Side).Except(lit))
            Assert.That(output.AsSpan(y * Side, Side).ToArray(), Is.EqualTo(image.AsSpan(y * Side, Side).ToArray()), $"row {y} untouched");
        var gaps = lit.Zip(lit.Skip(1), (a, b) => b - a).Distinct().ToList();
        Assert.That(gaps.Count, Is.LessThanOrEqualTo(1));
        if (gaps.Count == 1)
            Assert.That(gaps[0], Is.InRange(8, 15));
    }

    [Test]
    public void Apply_Scribble_DrawsABrightConnectedLineInsideTheFrame()
    {
        foreach (var image in Apply(new ImageAugmentation { ScribbleProbability = 1 }, new float[784], count: 8))
        {
            var lit = Enumerable.Range(0, 784).Where(i => image[i] > 0).ToList();
            Assert.That(lit.Count, Is.GreaterThan(4));
            Assert.That(lit.Select(i => image[i]).Distinct().Single(), Is.InRange(0.6f, 1f), "one level");
            Assert.That(lit.All(i => i % Side is >= 3 and <= 25 && i / Side is >= 3 and <= 25), Is.True, "3 pixels inside");
        }
    }

    [Test]
    public void Apply_Elastic_MovesPixelsLocallyKeepingTheImageWhole()
    {
        // A square of ink in the middle: an elastic field moves its edges by about a pixel and a half here and there, so
        // the image changes, but the ink stays near where it was and nothing is lost off the frame.
        var square = Square(9, 9, 10);

        var outputs = Apply(new ImageAugmentation { ElasticProbability = 1 }, square, count: 8);

        foreach (var image in outputs)
        {
            double changed = Enumerable.Range(0, 784).Sum(i => Math.Abs(image[i] - square[i]));
            Assert.That(changed, Is.GreaterThan(3), "the square's edges moved");
            Assert.That(image.Sum(), Is.InRange(50f, 150f), "the ink stretched or squeezed, not lost");
            var (x, y) = CentreOfMass(image);
            Assert.That(Math.Abs(x - 13.5) + Math.Abs(y - 13.5), Is.LessThan(3.5), "moved locally, not shifted away");
            Assert.That(Enumerable.Range(0, 784).Where(i => image[i] > 0.01f).All(i => i % Side is >= 4 and <= 23 && i / Side is >= 4 and <= 23),
                Is.True, "no pixel travels more than a few pixels");
        }
        Assert.That(outputs[1], Is.Not.EqualTo(outputs[0]), "each image its own field");
        Assert.That(Apply(new ImageAugmentation { ElasticProbability = 1 }, square, count: 2, seed: 3),
            Is.EqualTo(Apply(new ImageAugmentation { ElasticProbability = 1 }, square, count: 2, seed: 3)), "drawn from the seed");
    }

    [Test]
    public void Apply_LowResolution_SoftensASharpEdgeKeepingTheInk()
    {
        // A sharp square: at 8-16 pixels of digit height (11-22 pixels of frame) and back its edges turn grey, its mass stays.
        var square = Square(8, 8, 12);

        foreach (var image in Apply(new ImageAugmentation { LowResolutionProbability = 1 }, square, count: 8))
        {
            int grey = image.Count(p => p is > 0.05f and < 0.95f);
            Assert.That(grey, Is.GreaterThan(20), "edges softened");
            Assert.That(image.Sum(), Is.EqualTo(144).Within(15), "area averaging keeps the ink");
            Assert.That(image[14 * Side + 14], Is.GreaterThan(0.9f), "the middle stays ink");
            Assert.That(image[2 * Side + 2], Is.EqualTo(0f).Within(1e-6), "the far corner stays paper");
        }
        Assert.That(Apply(new ImageAugmentation { LowResolutionProbability = 0.5 }, square, count: 16).Count(o => o.SequenceEqual(square)),
            Is.InRange(2, 14), "about half the images untouched");
    }

    [Test]
    public void Apply_Contrast_KeepsTheMeanAndCutsTheSpread()
    {
        var image = Square(8, 8, 12);
        static (double Mean, double Sd) Stats(float[] v)
        {
            double mean = v.Average(p => (double)p);
            return (mean, Math.Sqrt(v.Average(p => (p - mean) * (p - mean))));
        }
        var before = Stats(image);

        foreach (var output in Apply(new ImageAugmentation { ContrastProbability = 1, MinContrast = 0.3 }, image, count: 6))
        {
            var after = Stats(output);
            Assert.That(after.Mean, Is.EqualTo(before.Mean).Within(1e-5));
            Assert.That(after.Sd / before.Sd, Is.InRange(0.3 - 1e-5, 1 + 1e-5));
        }
    }

    [Test]
    public void Apply_Background_LightsABlackImageSmoothly()
    {
        foreach (var output in Apply(new ImageAugmentation { BackgroundProbability = 1, MaxBackground = 0.6 }, new float[784], count: 6))
        {
            Assert.That(output.Max(), Is.LessThanOrEqualTo(1.2f + 1e-5f).And.GreaterThan(0f));
            for (int y = 0; y < Side; y++)
                for (int x = 1; x < Side; x++) // a 4 × 4 grid up-sampled: 9 pixels from cell to cell, cells at most 0.6 apart
                    Assert.That(Math.Abs(output[y * Side + x] - output[y * Side + x - 1]), Is.LessThanOrEqualTo(0.6f / 9 + 1e-5f));
        }
    }

    [Test]
    public void Apply_GaussianNoise_KeepsTheMeanWithinTheDrawnSpread()
    {
        foreach (var output in Apply(new ImageAugmentation { NoiseProbability = 1, MaxNoiseStd = 0.3 }, Filled(0.5f), count: 6))
        {
            double mean = output.Average(p => (double)p), sd = Math.Sqrt(output.Average(p => (p - mean) * (p - mean)));
            Assert.That(mean, Is.EqualTo(0.5).Within(0.04));
            Assert.That(sd, Is.LessThanOrEqualTo(0.33));
            Assert.That(output.All(p => p is >= 0f and <= 1f), Is.True);
        }
    }

    [Test]
    public void Apply_Impulse_SetsAsManyPixelsToBlackAsToWhite()
    {
        var outputs = Apply(new ImageAugmentation { ImpulseProbability = 1, MaxImpulseFraction = 0.15 }, Filled(0.5f), count: 20);

        int black = outputs.Sum(o => o.Count(p => p == 0f)), white = outputs.Sum(o => o.Count(p => p == 1f));
        Assert.That(outputs.All(o => o.All(p => p is 0f or 0.5f or 1f)), Is.True, "salt, pepper or untouched");
        Assert.That(black + white, Is.InRange(20 * 784 * 0.03, 20 * 784 * 0.12), "about 7.5 % on average");
        Assert.That((double)black / white, Is.InRange(0.8, 1.25));
    }

    [Test]
    public void Apply_Everything_SameSeedSameImages_OtherSeedOthers_StaysInRange()
    {
        var image = Square(9, 6, 10);

        var first = Apply(Everything, image, count: 8, seed: 1);
        var again = Apply(Everything, image, count: 8, seed: 1);
        var other = Apply(Everything, image, count: 8, seed: 2);

        Assert.That(again, Is.EqualTo(first));
        Assert.That(other, Is.Not.EqualTo(first));
        Assert.That(first.All(o => o.All(p => p is >= 0f and <= 1f)), Is.True);
    }

    [TestCase(nameof(ImageAugmentation.MinScale), 1.5)]
    [TestCase(nameof(ImageAugmentation.MaxScale), 0.9)]
    [TestCase(nameof(ImageAugmentation.MaxShear), -0.1)]
    [TestCase(nameof(ImageAugmentation.StrokeProbability), 1.5)]
    [TestCase(nameof(ImageAugmentation.NoiseProbability), double.NaN)]
    [TestCase(nameof(ImageAugmentation.MaxBlurSigma), 0.1)]
    [TestCase(nameof(ImageAugmentation.MinContrast), 0)]
    [TestCase(nameof(ImageAugmentation.MaxBackground), 0)]
    [TestCase(nameof(ImageAugmentation.MaxImpulseFraction), 2)]
    [TestCase(nameof(ImageAugmentation.ElasticProbability), -0.1)]
    [TestCase(nameof(ImageAugmentation.ElasticAlpha), 0)]
    [TestCase(nameof(ImageAugmentation.ElasticSigma), 0.5)]
    [TestCase(nameof(ImageAugmentation.LowResolutionProbability), 1.1)]
    [TestCase(nameof(ImageAugmentation.MinLowResolutionHeight), 17)]
    public void Validate_AugmentationOptionOutOfRange_ThrowsNamingIt(string name, double value)
    {
        var augmentation = new ImageAugmentation();
        typeof(ImageAugmentation).GetProperty(name)!.SetValue(augmentation, value);
        var options = new CnnTrainer.Options { Augmentation = augmentation };

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => options.Validate());

        Assert.That(e!.ParamName, Is.EqualTo(name));
        Assert.That(e.Message, Does.Contain(name).And.Contain("must be in"));
    }

    [Test]
    [Category("Slow")]
    public void Fit_EveryAugmentation_TrainsEndToEnd()
    {
        // Every option on, at a recipe's strength (Everything's one-in-two leaves few images readable).
        var recipe = Everything with
        {
            StrokeProbability = 0.2, BlurProbability = 0.1, LinesProbability = 0.1, ScribbleProbability = 0.1,
            ContrastProbability = 0.1, BackgroundProbability = 0.1, NoiseProbability = 0.1, ImpulseProbability = 0.1,
            ElasticProbability = 0.2, LowResolutionProbability = 0.1,
        };
        var ml = new MLContext(seed: 1);
        var data = ml.Data.TakeRows(ml.Data.LoadFromIdx(TestData.TrainImages, TestData.TrainLabels), 3000);
        var test = ml.Data.TakeRows(ml.Data.LoadFromIdx(TestData.TestImages, TestData.TestLabels), 500);
        var trainer = ml.MulticlassClassification.Trainers.Cnn(new CnnTrainer.Options
        {
            Architecture = CnnArchitectures.DigitNet, Epochs = 2, Seed = 1, Augmentation = recipe,
            Optimizer = new AdamOptimizer(), Schedule = new OneCycleLR(0.005),
        });
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label").Append(trainer);

        using var model = pipeline.Fit(data);
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(test));

        Assert.That(metrics.MicroAccuracy, Is.GreaterThan(0.6), "learnt through every augmentation");
    }

    [Test]
    public void Summary_NamesEachOperationOn()
    {
        Assert.That(ImageAugmentation.None.Summary(), Is.EqualTo("none"));
        Assert.That(ImageAugmentation.AnEtAl.Summary(), Is.EqualTo("rotate ±20°, shift ±20 %"));
        Assert.That((ImageAugmentation.AnEtAl with { MinScale = 0.5, StrokeProbability = 0.2, NoiseProbability = 0.1, MaxNoiseStd = 0.2 }).Summary(),
            Is.EqualTo("rotate ±20°, shift ±20 %, scale 0.5–1, stroke 20 %, noise 10 % (σ ≤ 0.2)"));
        Assert.That((ImageAugmentation.None with { ElasticProbability = 0.5, LowResolutionProbability = 0.2, MinLowResolutionHeight = 10 }).Summary(),
            Is.EqualTo("elastic 50 %, low resolution 20 % (digits ≥ 10 px)"));
    }
}
