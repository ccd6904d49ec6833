// PretrainedTests.cs — the app with no Model:Path and no Reader:Path: it starts with the classifier and the line reader
// shipped in DigitsML.Scoring, answers POST /api/digits and POST /api/numbers, and /health names both as pretrained (name,
// size, SHA-256, version), with no path. The shipped models are provisional until build/train-pretrained.sh installs the
// trained ones: no test asserts which digits they read, only what the shipped models themselves say.
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace DigitsML.WebApp.Tests.Api;

[TestFixture]
public sealed class PretrainedTests
{
    private WebAppHost host = null!;
    private HttpClient client = null!;

    /// <summary>/health's reader when the shipped reader reads (no Reader:Path).</summary>
    public static object ShippedReaderHealth
    {
        get
        {
            var reader = Shipped(PretrainedModels.Reader);
            return new { configured = true, model = "pretrained:reader", bytes = reader.Bytes, sha256 = reader.Sha256.ToLowerInvariant(), version = 1 };
        }
    }

    private static PretrainedModelInfo Shipped(string name) => PretrainedModels.Manifest.Models.Single(m => m.Name == name);

    [OneTimeSetUp]
    public async Task StartApp()
    {
        host = new WebAppHost(new Dictionary<string, string> { ["Model:Path"] = "", ["Reader:Path"] = "" });
        client = await host.CreateReadyClientAsync();
    }

    [OneTimeTearDown]
    public void StopApp()
    {
        client?.Dispose();
        host?.Dispose();
    }

    [Test]
    public async Task Health_NoModelNoReaderConfigured_NamesBothAsPretrainedWithShaAndVersionButNoPath()
    {
        string body = await client.GetStringAsync("/health");

        var digits = Shipped(PretrainedModels.Digits);
        Assert.That(body, Is.EqualTo(JsonSerializer.Serialize(new
        {
            status = "ok", model = "pretrained:digits", bytes = digits.Bytes, sha256 = digits.Sha256.ToLowerInvariant(),
            version = 1, lastReloadError = (string?)null, reader = ShippedReaderHealth,
        })));
        Assert.That(body, Does.Not.Contain("/").And.Not.Contain(".zip"), "no path, no file name");
    }

    [Test]
    public async Task PostDigit_NoModelConfigured_200WithWhatTheShippedClassifierSays()
    {
        var (_, pixels) = Mnist.TestDigits(1)[0];

        var answer = await (await client.PostImageAsync(Mnist.Png(pixels), "image/png")).AnswerAsync();

        using var classifier = DigitClassifier.Load(PretrainedModels.Open(PretrainedModels.Digits));
        var expected = classifier.PredictImage(Mnist.Png(pixels));
        Assert.That($"{answer.Digit}", Is.EqualTo(expected.Class));
        Assert.That(answer.Probabilities, Is.EqualTo(expected.Probabilities).Within(1e-5f));
    }

    [Test]
    public async Task PostNumber_NoReaderConfigured_200NamingTheShippedReader()
    {
        var content = new ByteArrayContent(NumbersApiTests.NumberPng(3));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("image/png");

        var response = await client.PostAsync("/api/numbers", content);

        string body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode == HttpStatusCode.UnprocessableEntity && body.Contains("no number found: no digit read"))
            Assert.Inconclusive("the provisional reader read no digit (the trained reader will)");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        using var json = JsonDocument.Parse(body);
        var reader = json.RootElement.GetProperty("reader");
        Assert.That(reader.GetProperty("model").GetString(), Is.EqualTo("pretrained:reader"));
        Assert.That(reader.GetProperty("sha256").GetString(), Is.EqualTo(Shipped(PretrainedModels.Reader).Sha256.ToLowerInvariant()));
        var expected = new NumberReader(new Microsoft.ML.MLContext().Model.LoadPretrainedReader()).Read(NumbersApiTests.NumberPng(3));
        Assert.That(json.RootElement.GetProperty("text").GetString(), Is.EqualTo(expected.Text));
    }

    [Test]
    public async Task Start_ReaderEnabledNeitherTrueNorFalse_OneLineOnStderrExit1()
    {
        var (exit, output, errors) = await AppProcess.RunToExitAsync(TimeSpan.FromMinutes(1), "--Reader:Enabled=maybe");

        Assert.That(exit, Is.EqualTo(1));
        Assert.That(errors, Is.EqualTo($"error: Reader:Enabled is maybe: it must be true or false{Environment.NewLine}"));
        Assert.That(output, Does.Not.Contain("Now listening"));
    }

    [Test]
    public async Task Start_NoSettingsAtAll_ListensWithTheShippedModels()
    {
        var (app, address) = await AppProcess.StartAsync();
        using (app)
        {
            using var to = new HttpClient { BaseAddress = address };
            string body = await to.GetStringAsync("/health");
            Assert.That(body, Does.Contain("\"model\":\"pretrained:digits\"").And.Contain("\"model\":\"pretrained:reader\""));
        }
    }
}
