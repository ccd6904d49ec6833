// DigitsModelHealthCheck.cs — the health of a DigitRecognizer: which model answers, and whether the newest file loaded.
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DigitsML;

/// <summary>Healthy while the newest model file is the one answering; Degraded when the file changed but did not load
/// (the old model still answers). The data holds the model's version, SHA-256, file name (no folder) and load time.
/// Added by <c>AddHealthChecks().AddDigitsModelCheck()</c>.</summary>
public sealed class DigitsModelHealthCheck(DigitRecognizer recognizer) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var model = recognizer.Model;
        var data = new Dictionary<string, object>
        {
            ["version"] = model.Version,
            ["sha256"] = model.Sha256,
            ["file"] = model.FileName ?? "(stream)",
            ["loadedAt"] = model.LoadedAt.ToString("O"),
        };
        if (recognizer.LastReloadError is { } error)
        {
            data["lastReloadError"] = error;
            return Task.FromResult(HealthCheckResult.Degraded($"the model file changed but did not load; version {model.Version} still answers", data: data));
        }
        return Task.FromResult(HealthCheckResult.Healthy($"model version {model.Version} answers", data));
    }
}
