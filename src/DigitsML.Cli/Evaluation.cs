// Evaluation.cs — a model scored on labelled data: ML.NET's metrics (with top-2 accuracy) and the class of each metric's slot.

namespace DigitsML.Cli;

internal sealed record Evaluation(MulticlassClassificationMetrics Metrics, IReadOnlyList<string> Classes)
{
    /// <summary>Scores <paramref name="data"/> with <paramref name="model"/> and evaluates it. The classes are the
    /// model's Score slots as <see cref="DigitClassifier"/> establishes them (the label's key order, which ML.NET's
    /// per-class figures and confusion matrix follow), so a model whose keys are in occurrence order is named right.</summary>
    /// <exception cref="DataFormatException">The model's classes cannot be established.</exception>
    public static Evaluation Of(MLContext ml, ITransformer model, IDataView data)
    {
        using var classifier = new DigitClassifier(model);
        var scored = model.Transform(data);
        return new Evaluation(ml.MulticlassClassification.Evaluate(scored, topKPredictionCount: 2), classifier.ScoreClasses);
    }

    /// <summary>The figures as --json documents give them.</summary>
    public MetricsJson ToJson() => MetricsJson.From(Metrics, Classes);
}
