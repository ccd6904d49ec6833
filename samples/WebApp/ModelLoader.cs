// ModelLoader.cs — loads the model in the background once the server is up, so /health answers 503 until it is ready.
using System.Diagnostics;

namespace DigitsML.WebApp;

/// <summary>Loads <see cref="DigitModel"/> when the host starts, off the start-up path: the server listens at once and
/// says "loading" (503 on /health and /api/digits) until the model is ready, as a readiness probe expects. A model that
/// fails to load ends the app with its one-line reason on stderr and exit code 1 (a missing file is caught earlier, before
/// the server starts: see Program.cs).</summary>
public sealed class ModelLoader(DigitModel model, IHostApplicationLifetime lifetime, ILogger<ModelLoader> log) : BackgroundService
{
    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Run(() =>
    {
        var clock = Stopwatch.StartNew();
        try
        {
            model.Load();
            log.LogInformation("model {Path} loaded in {Seconds:F2} s", model.Path, clock.Elapsed.TotalSeconds);
        }
        catch (ModelLoadException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            Environment.ExitCode = 1;
            lifetime.StopApplication();
        }
    }, stoppingToken);
}
