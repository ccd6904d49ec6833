// Evaluation.cs — a model scored on labelled data: ML.NET's metrics (with top-2 accuracy) and the class of each metric's slot.
using System.Runtime.ExceptionServices;

namespace DigitsML.Cli;

internal sealed record Evaluation(MulticlassClassificationMetrics Metrics, IReadOnlyList<string> Classes)
{
    /// <summary>Scores <paramref name="data"/> with <paramref name="model"/> and evaluates it. The classes are the
    /// model's Score slots as <see cref="DigitClassifier"/> establishes them (the label's key order, which ML.NET's
    /// per-class figures and confusion matrix follow), so a model whose keys are in occurrence order is named right.</summary>
    /// <exception cref="DataFormatException">The model's classes cannot be established, or a data file turns out bad while
    /// it is read (the reader's own exception, not ML.NET's "Splitter/consolidator worker encountered exception" around it).</exception>
    public static Evaluation Of(MLContext ml, ITransformer model, IDataView data)
    {
        using var classifier = new DigitClassifier(model);
        var scored = model.Transform(data);
        try
        {
            return new Evaluation(ml.MulticlassClassification.Evaluate(scored, topKPredictionCount: 2), classifier.ScoreClasses);
        }
        catch (Exception e) when (Cause(e) is { } cause && cause != e)
        {
            ExceptionDispatchInfo.Throw(cause);
            throw;
        }
    }

    /// <summary>The DigitsML exception inside <paramref name="e"/>'s chain (ML.NET's parallel cursors wrap it), or null.</summary>
    private static DigitsMLException? Cause(Exception e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
            if (inner is DigitsMLException found)
                return found;
        return null;
    }

    /// <summary>The figures as --json documents give them.</summary>
    public MetricsJson ToJson() => MetricsJson.From(Metrics, Classes);
}
