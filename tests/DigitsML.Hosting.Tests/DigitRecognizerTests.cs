// DigitRecognizerTests.cs — AddDigitsRecognition from configuration, a model file swapped under load, a bad file kept
// out, the health check and the metrics.
using System.Diagnostics.Metrics;
using DigitsML.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Microsoft.ML;

namespace DigitsML.Hosting.Tests;

[TestFixture]
public sealed class DigitRecognizerTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private static string Fixture => Path.Combine(TestContext.CurrentContext.TestDirectory, "fixtures", "reading-model.zip");

    private static float[][] TestDigits(int count)
    {
        var ml = new MLContext();
        var view = ml.Data.TakeRows(ml.Data.LoadFromIdx(MnistFiles.TestImages, MnistFiles.TestLabels), count);
        return [.. ml.Data.CreateEnumerable<DigitInput>(view, reuseRowObject: false).Select(d => d.Features)];
    }

    private static string[] Answers(string model, float[][] digits)
    {
        using var classifier = DigitClassifier.Load(model);
        return [.. digits.Select(d => classifier.Predict(d).Class)];
    }

    /// <summary>Replaces <paramref name="target"/> as an app's deployment would: write beside it, then rename over it.</summary>
    private static void Replace(string target, byte[] content)
    {
        string temporary = target + ".new";
        File.WriteAllBytes(temporary, content);
        File.Move(temporary, target, overwrite: true);
    }

    private static void WaitFor(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"{what} did not happen within {Patience.TotalSeconds} s");
            Thread.Sleep(20);
        }
    }

    [Test]
    public void AddDigitsRecognition_FromConfiguration_AnswersAsTheClassifier()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Digits:ModelPath"] = Fixture, ["Digits:WatchForChanges"] = "false" })
            .Build();
        using var services = new ServiceCollection().AddDigitsRecognition(configuration.GetSection("Digits")).BuildServiceProvider();
        var digits = TestDigits(20);

        var recognizer = services.GetRequiredService<DigitRecognizer>();

        Assert.That(services.GetRequiredService<DigitRecognizer>(), Is.SameAs(recognizer));
        Assert.That(digits.Select(d => recognizer.Predict(d).Class), Is.EqualTo(Answers(Fixture, digits)));
        Assert.That(recognizer.Model.Version, Is.EqualTo(1));
        Assert.That(recognizer.Model.FileName, Is.EqualTo("reading-model.zip"));
        Assert.That(recognizer.Model.Sha256, Is.EqualTo(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(Fixture)))));
    }

    [Test]
    public void AddDigitsRecognition_NoModelConfigured_RefusedNamingTheSetting()
    {
        using var services = new ServiceCollection().AddDigitsRecognition(new ConfigurationBuilder().Build()).BuildServiceProvider();

        var e = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<DigitRecognizer>());
        Assert.That(e!.Message, Does.Contain("ModelPath"));
    }

    [Test]
    public void AddDigitsRecognition_ModelWithoutTheRequiredClasses_RefusedNamingThem()
    {
        using var services = new ServiceCollection()
            .AddDigitsRecognition(o => { o.ModelPath = Fixture; o.RequiredClasses = ["cat", "dog"]; }).BuildServiceProvider();

        var e = Assert.Throws<DataFormatException>(() => services.GetRequiredService<DigitRecognizer>());
        Assert.That(e!.Message, Does.Contain("reading-model.zip").And.Contain("not the required cat, dog"));
    }

    [Test]
    public void AddDigitsRecognition_ModelStream_LoadsWithoutAFileName()
    {
        using var services = new ServiceCollection()
            .AddDigitsRecognition(o => o.ModelStream = () => File.OpenRead(Fixture)).BuildServiceProvider();
        var digits = TestDigits(5);

        var recognizer = services.GetRequiredService<DigitRecognizer>();

        Assert.That(recognizer.Model.FileName, Is.Null);
        Assert.That(digits.Select(d => recognizer.Predict(d).Class), Is.EqualTo(Answers(Fixture, digits)));
    }

    [Test]
    public void ModelFile_ReplacedUnderLoad_NoFailedPredictionThenTheNewModelAnswers()
    {
        using var folder = new TemporaryDirectory();
        string modelPath = Path.Combine(folder.Path, "digits.zip");
        File.Copy(Fixture, modelPath);
        string other = OccurrenceOrderedModel.Save(Path.Combine(folder.Path, "other.zip"));
        var digits = TestDigits(50);
        string[] before = Answers(modelPath, digits), after = Answers(other, digits);
        Assert.That(before, Is.Not.EqualTo(after), "the two models must answer differently for the test to tell them apart");

        var services = new ServiceCollection().AddLogging().AddMetrics()
            .AddDigitsRecognition(o => { o.ModelPath = modelPath; o.ReloadDelay = TimeSpan.FromMilliseconds(100); });
        services.AddHealthChecks().AddDigitsModelCheck();
        using var provider = services.BuildServiceProvider();
        var measured = new Dictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == DigitsRecognitionServiceCollectionExtensions.MeterName)
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            string key = instrument.Name + string.Concat(tags.ToArray().Select(t => $"/{t.Value}"));
            lock (measured)
                measured[key] = measured.GetValueOrDefault(key) + value;
        });
        listener.Start();
        var recognizer = provider.GetRequiredService<DigitRecognizer>();
        var health = provider.GetRequiredService<HealthCheckService>();

        // Four clients predict all the while; every answer must be one of the two models' answers for that digit.
        using var stop = new CancellationTokenSource();
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        long answered = 0;
        var clients = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
                for (int i = 0; i < digits.Length; i++)
                {
                    try
                    {
                        string answer = recognizer.Predict(digits[i]).Class;
                        if (answer != before[i] && answer != after[i])
                            failures.Enqueue($"digit {i}: {answer}, neither model's answer ({before[i]}, {after[i]})");
                        Interlocked.Increment(ref answered);
                    }
                    catch (Exception e)
                    {
                        failures.Enqueue($"digit {i}: {e}");
                    }
                }
        })).ToArray();
        WaitFor(() => Interlocked.Read(ref answered) > 200, "200 predictions before the swap");

        Replace(modelPath, File.ReadAllBytes(other));
        WaitFor(() => recognizer.Model.Version == 2, "the reload");
        long atSwap = Interlocked.Read(ref answered);
        WaitFor(() => Interlocked.Read(ref answered) > atSwap + 200, "200 predictions after the swap");
        stop.Cancel();
        Task.WaitAll(clients);

        Assert.That(failures, Is.Empty, string.Join("\n", failures.Take(5)));
        Assert.That(digits.Select(d => recognizer.Predict(d).Class), Is.EqualTo(after));
        var report = health.CheckHealthAsync().GetAwaiter().GetResult();
        Assert.That(report.Status, Is.EqualTo(HealthStatus.Healthy));
        Assert.That(report.Entries["digits-model"].Data["version"], Is.EqualTo(2));

        // A file that does not load: the second model keeps answering, the check turns Degraded, no folder is shown.
        Replace(modelPath, [1, 2, 3, 4]);
        WaitFor(() => recognizer.LastReloadError is not null, "the failed reload");
        Assert.That(recognizer.Model.Version, Is.EqualTo(2));
        Assert.That(digits.Select(d => recognizer.Predict(d).Class), Is.EqualTo(after));
        report = health.CheckHealthAsync().GetAwaiter().GetResult();
        Assert.That(report.Status, Is.EqualTo(HealthStatus.Degraded));
        Assert.That(recognizer.LastReloadError, Does.StartWith("digits.zip").And.Not.Contain(folder.Path));

        listener.RecordObservableInstruments();
        lock (measured)
        {
            Assert.That(measured.GetValueOrDefault("digitsml.predictions/ok"), Is.GreaterThanOrEqualTo(Interlocked.Read(ref answered)));
            Assert.That(measured.GetValueOrDefault("digitsml.model.reloads/loaded"), Is.EqualTo(1));
            Assert.That(measured.GetValueOrDefault("digitsml.model.reloads/failed"), Is.GreaterThanOrEqualTo(1));
        }
    }
}
