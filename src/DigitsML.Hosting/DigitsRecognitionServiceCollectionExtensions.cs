// DigitsRecognitionServiceCollectionExtensions.cs — services.AddDigitsRecognition(...) and AddDigitsModelCheck().
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DigitsML;

/// <summary>Registers digit recognition in an app's services, as Microsoft.Extensions.ML registers its
/// <c>PredictionEnginePool</c>.</summary>
public static class DigitsRecognitionServiceCollectionExtensions
{
    /// <summary>The meter of the recognizer's metrics, for OpenTelemetry's <c>AddMeter(...)</c>.</summary>
    public const string MeterName = DigitsRecognitionMetrics.MeterName;

    /// <summary>Registers a singleton <see cref="DigitRecognizer"/> configured in code.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static IServiceCollection AddDigitsRecognition(this IServiceCollection services, Action<DigitsRecognitionOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<DigitsRecognitionOptions>().Configure(configure).Validate(HasModel, NoModel);
        services.TryAddSingleton<DigitRecognizer>();
        return services;
    }

    /// <summary>Registers a singleton <see cref="DigitRecognizer"/> configured from a configuration section
    /// (<c>{ "ModelPath": "digits.zip", "WatchForChanges": true, "ReloadDelay": "00:00:00.5", "MaxPixels": 4000000 }</c>).</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static IServiceCollection AddDigitsRecognition(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<DigitsRecognitionOptions>().Bind(configuration).Validate(HasModel, NoModel);
        services.TryAddSingleton<DigitRecognizer>();
        return services;
    }

    /// <summary>Adds <see cref="DigitsModelHealthCheck"/> (Healthy, or Degraded when a changed model file did not load).</summary>
    public static IHealthChecksBuilder AddDigitsModelCheck(this IHealthChecksBuilder builder, string name = "digits-model") =>
        builder.AddCheck<DigitsModelHealthCheck>(name, HealthStatus.Unhealthy, ["model"]);

    private const string NoModel = "DigitsRecognitionOptions names no model: set ModelPath (or ModelStream).";

    private static bool HasModel(DigitsRecognitionOptions options) =>
        !string.IsNullOrWhiteSpace(options.ModelPath) || options.ModelStream is not null;
}
