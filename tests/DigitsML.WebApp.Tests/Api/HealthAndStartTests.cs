// HealthAndStartTests.cs — GET /health (200 with the model once loaded, 503 before), where the model file is looked for,
// and what a start-up with a missing or broken model or nonsense limits gives: one line on stderr, exit code 1.
using System.Net;
using System.Text.Json;
using DigitsML.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DigitsML.WebApp.Tests.Api;

[TestFixture]
public sealed class HealthAndStartTests
{
    private static readonly TimeSpan ExitWithin = TimeSpan.FromMinutes(1);

    [Test]
    public async Task Health_ModelLoaded_200WithItsPath()
    {
        using var host = new WebAppHost();
        using var client = await host.CreateReadyClientAsync();

        var response = await client.GetAsync("/health");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsStringAsync(),
            Is.EqualTo(JsonSerializer.Serialize(new { status = "ok", model = TrainedModel.Path })));
    }

    [Test]
    public async Task HealthAndApi_ModelNotLoaded_503()
    {
        // Without its loader the app never loads the model: what it answers while a model is loading.
        using var host = new WebAppHost(services: s => s.Remove(s.Single(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(ModelLoader))));
        using var client = host.CreateClient();

        var health = await client.GetAsync("/health");
        var api = await client.PostImageAsync(File.ReadAllBytes(Build.Photos[0]), "image/png");

        Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(await health.Content.ReadAsStringAsync(),
            Is.EqualTo(JsonSerializer.Serialize(new { status = "loading", model = TrainedModel.Path })));
        Assert.That(await api.ErrorAsync(HttpStatusCode.ServiceUnavailable), Does.StartWith("the model is still loading"));
    }

    [Test]
    public void ModelPath_NotConfigured_TheRepositorysArtifactsModel()
    {
        var none = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Model:Path"] = "" }).Build();
        var relative = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Model:Path"] = "m/digits.zip" }).Build();

        Assert.That(DigitModel.PathFrom(none), Is.EqualTo(Path.Combine(Build.RepoRoot, "artifacts", "digits-model.zip")));
        Assert.That(DigitModel.PathFrom(relative), Is.EqualTo(Path.Combine(Environment.CurrentDirectory, "m", "digits.zip")));
    }

    [Test]
    public async Task Start_ModelFileMissing_OneLineOnStderrExit1BeforeListening()
    {
        using var folder = new TemporaryDirectory();
        string absent = Path.Combine(folder.Path, "absent.zip");

        var (exit, output, errors) = await AppProcess.RunToExitAsync(ExitWithin, $"--Model:Path={absent}");

        Assert.That(exit, Is.EqualTo(1));
        Assert.That(errors, Is.EqualTo($"error: no model at {absent}: train one with build/run.sh, or name one with Model:Path " +
                                       $"(e.g. --Model:Path=digits.zip){Environment.NewLine}"));
        Assert.That(output, Does.Not.Contain("Now listening"));
    }

    [Test]
    public async Task Start_FileNotAModel_OneLineOnStderrExit1()
    {
        using var folder = new TemporaryDirectory();
        string notModel = Path.Combine(folder.Path, "notes.zip");
        File.WriteAllText(notModel, "not a zip");

        var (exit, _, errors) = await AppProcess.RunToExitAsync(ExitWithin, $"--Model:Path={notModel}");

        Assert.That(exit, Is.EqualTo(1));
        Assert.That(errors.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(errors, Does.StartWith($"error: {notModel}: not an ML.NET model zip that loads here: "));
    }

    [TestCase("--Limits:MaxBodyBytes=0", "error: Limits:MaxBodyBytes is 0: it must be at least 1")]
    [TestCase("--Limits:MaxImagePixels=0", "error: Limits:MaxImagePixels is 0: it must be between 1 and 67108864")]
    [TestCase("--Limits:MaxBodyBytes=lots", "error: Failed to convert configuration value")]
    public async Task Start_NonsenseLimit_OneLineOnStderrExit1(string argument, string message)
    {
        var (exit, _, errors) = await AppProcess.RunToExitAsync(ExitWithin, $"--Model:Path={TrainedModel.Path}", argument);

        Assert.That(exit, Is.EqualTo(1));
        Assert.That(errors.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(errors, Does.StartWith(message));
    }
}
