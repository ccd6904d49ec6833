// Evaluation.cs — a model scored on labelled data: ML.NET's metrics (with top-2 accuracy) and the class names.

namespace DigitsML.Cli;

internal sealed record Evaluation(MulticlassClassificationMetrics Metrics, IReadOnlyList<string> Classes)
{
    /// <summary>Scores <paramref name="data"/> with <paramref name="model"/> and evaluates it.</summary>
    public static Evaluation Of(MLContext ml, ITransformer model, IDataView data)
    {
        var scored = model.Transform(data);
        return new Evaluation(ml.MulticlassClassification.Evaluate(scored, topKPredictionCount: 2), Scores.ClassNames(scored.Schema));
    }

    /// <summary>The figures as --json documents give them.</summary>
    public MetricsJson ToJson() => MetricsJson.From(Metrics, Classes);
}
