// DigitsRecognitionMetrics.cs — the System.Diagnostics.Metrics instruments of a DigitRecognizer (read by OpenTelemetry).
using System.Diagnostics.Metrics;

namespace DigitsML;

/// <summary>Meter <see cref="MeterName"/>: predictions (by outcome), their duration in seconds, reloads (by outcome) and
/// the model version in use. Made through the app's <see cref="IMeterFactory"/> when it has one.</summary>
internal sealed class DigitsRecognitionMetrics : IDisposable
{
    /// <summary>The meter's name, for <c>AddMeter(...)</c> in OpenTelemetry's metrics set-up.</summary>
    public const string MeterName = "DigitsML.Recognition";

    private readonly Meter meter;
    private readonly bool ownsMeter;
    private readonly Counter<long> predictions;
    private readonly Histogram<double> duration;
    private readonly Counter<long> reloads;

    public DigitsRecognitionMetrics(IMeterFactory? factory, Func<int> modelVersion)
    {
        ownsMeter = factory is null;
        meter = factory?.Create(MeterName) ?? new Meter(MeterName);
        predictions = meter.CreateCounter<long>("digitsml.predictions", "{prediction}", "Predictions answered or refused, by outcome (ok, bad_input).");
        duration = meter.CreateHistogram<double>("digitsml.prediction.duration", "s", "Time to decode, prepare and score one input.");
        reloads = meter.CreateCounter<long>("digitsml.model.reloads", "{reload}", "Model reloads after the file changed, by outcome (loaded, failed).");
        meter.CreateObservableGauge("digitsml.model.version", modelVersion, "{version}", "The version of the model answering (1 at start, +1 per reload).");
    }

    public void Predicted(double seconds, bool ok)
    {
        var outcome = new KeyValuePair<string, object?>("outcome", ok ? "ok" : "bad_input");
        predictions.Add(1, outcome);
        duration.Record(seconds, outcome);
    }

    public void Reloaded(bool loaded) => reloads.Add(1, new KeyValuePair<string, object?>("outcome", loaded ? "loaded" : "failed"));

    public void Dispose()
    {
        if (ownsMeter)
            meter.Dispose();
    }
}
