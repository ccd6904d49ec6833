// AnswerTests.cs — POST /api/digits answers as the model does: MNIST test digits sent as pixels answer what an ML.NET
// prediction engine says of the same features, and as PNG files, like the fixture photos (multipart or raw body), what
// LoadImages → NormalizeDigit → the model says of the same files, probability for probability; from many clients at once.
using DigitsML.Testing;

namespace DigitsML.WebApp.Tests.Api;

[TestFixture]
public sealed class AnswerTests
{
    private WebAppHost host = null!;
    private HttpClient client = null!;

    [OneTimeSetUp]
    public async Task StartApp()
    {
        host = new WebAppHost();
        client = await host.CreateReadyClientAsync();
    }

    [OneTimeTearDown]
    public void StopApp()
    {
        client?.Dispose();
        host?.Dispose();
    }

    /// <summary>The answer holds the model's digit and probabilities, and the runner-up is the best of the others.</summary>
    private static void AssertAnswer(Answer answer, (int Digit, float[] Probabilities) expected, string what)
    {
        Assert.That(answer.Probabilities, Is.EqualTo(expected.Probabilities), what);
        Assert.That(answer.Digit, Is.EqualTo(expected.Digit), what);
        Assert.That(answer.Probability, Is.EqualTo(answer.Probabilities[answer.Digit]), what);
        int runnerUp = Enumerable.Range(0, 10).Where(d => d != answer.Digit).MaxBy(d => answer.Probabilities[d]);
        Assert.That(answer.RunnerUp, Is.EqualTo(new Answer.Other(runnerUp, answer.Probabilities[runnerUp])), what);
    }

    [Test]
    public async Task PostPixels_MnistTestDigits_AnswersAsAPredictionEngineOnTheSameFeatures()
    {
        var digits = Mnist.TestDigits(500);
        var expected = TrainedModel.ScoreFeatures(digits.Select(d => Mnist.Features(d.Pixels)));

        int right = 0;
        for (int i = 0; i < digits.Length; i++)
        {
            var answer = await (await client.PostPixelsAsync(Mnist.Features(digits[i].Pixels))).AnswerAsync();
            AssertAnswer(answer, expected[i], $"test digit {i}");
            right += answer.Digit == digits[i].Label ? 1 : 0;
        }

        TestContext.Out.WriteLine($"pixels: {right} of {digits.Length} MNIST test digits right");
        Assert.That(right, Is.GreaterThanOrEqualTo(460), "478 of 500 when measured (DigitNet, 1 epoch on 10,000 images)");
    }

    [Test]
    public async Task PostPng_MnistTestDigitsRenderedToPng_AnswersAsLoadImagesThenNormalizeDigit()
    {
        using var folder = new TemporaryDirectory();
        var digits = Mnist.TestDigits(200);
        var files = digits.Select((d, i) =>
        {
            string path = Path.Combine(folder.Path, $"{i}.png");
            File.WriteAllBytes(path, Mnist.Png(d.Pixels));
            return path;
        }).ToArray();
        var expected = TrainedModel.ScoreFiles(files);

        int right = 0;
        for (int i = 0; i < files.Length; i++)
        {
            var answer = await (await client.PostImageAsync(File.ReadAllBytes(files[i]), "image/png")).AnswerAsync();
            AssertAnswer(answer, expected[i], files[i]);
            right += answer.Digit == digits[i].Label ? 1 : 0;
        }

        TestContext.Out.WriteLine($"PNG: {right} of {digits.Length} MNIST test digits right");
        Assert.That(right, Is.GreaterThanOrEqualTo(175), "185 of 200 when measured: NormalizeDigit crops and centres them again");
    }

    [Test]
    public async Task PostPhoto_AsFilePartOrRawBody_AnswersAsLoadImagesThenNormalizeDigit()
    {
        string[] photos = Build.Photos;
        Assert.That(photos, Has.Length.EqualTo(30));
        var expected = TrainedModel.ScoreFiles(photos);

        int right = 0;
        for (int i = 0; i < photos.Length; i++)
        {
            byte[] bytes = File.ReadAllBytes(photos[i]);
            var asFile = await (await client.PostFileAsync(bytes, Path.GetFileName(photos[i]))).AnswerAsync();
            var asBody = await (await client.PostImageAsync(bytes, Requests.ImageType(photos[i]))).AnswerAsync();
            AssertAnswer(asFile, expected[i], photos[i]);
            AssertAnswer(asBody, expected[i], photos[i]);
            right += asFile.Digit == int.Parse(Path.GetFileName(Path.GetDirectoryName(photos[i]))!) ? 1 : 0;
        }

        TestContext.Out.WriteLine($"photos: {right} of {photos.Length} right");
        Assert.That(right, Is.GreaterThanOrEqualTo(22), "24 of 30 when measured (training is repeatable on the CPU)");
    }

    [Test]
    public async Task PostImage_ContentTypeOfAnotherFormat_DecodedByItsContent()
    {
        // Browsers and tools label files loosely; the bytes decide, as LoadImages decides by content, not by name.
        string jpeg = Build.Photos.First(p => p.EndsWith(".jpg", StringComparison.Ordinal));
        var expected = TrainedModel.ScoreFiles([jpeg]);

        var answer = await (await client.PostImageAsync(File.ReadAllBytes(jpeg), "image/png")).AnswerAsync();

        AssertAnswer(answer, expected[0], jpeg);
    }

    [Test]
    public async Task Post_FromEightClientsAtOnce_SameAnswersAsOneByOne()
    {
        var bodies = Build.Photos.Select(File.ReadAllBytes).ToArray();
        var alone = new Answer[bodies.Length];
        for (int i = 0; i < bodies.Length; i++)
            alone[i] = await (await client.PostImageAsync(bodies[i], "image/png")).AnswerAsync();

        var together = new Answer[8 * bodies.Length];
        await Parallel.ForAsync(0, together.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
            together[i] = await (await client.PostImageAsync(bodies[i % bodies.Length], "image/png")).AnswerAsync());

        for (int i = 0; i < together.Length; i++)
            Assert.That(together[i].Probabilities, Is.EqualTo(alone[i % bodies.Length].Probabilities));
    }
}
