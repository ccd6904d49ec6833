// ModelReportOptions.cs — what a model report shows, each default stated once.
namespace DigitsML;

/// <summary>Settings of <c>ModelReport.Write</c>.</summary>
public sealed record ModelReportOptions
{
    /// <summary>The page title; default "DigitsML model report".</summary>
    public string Title { get; init; } = "DigitsML model report";

    /// <summary>Misclassified images shown, the most confident mistakes first; default 24.</summary>
    public int MisclassifiedCount { get; init; } = 24;

    /// <summary>Correctly classified images shown, the least confident first; default 12.</summary>
    public int CorrectCount { get; init; } = 12;

    /// <summary>The folder of a robustness set (bench/robust/make_robust.py, docs/robustness.md); when given, the report
    /// gains a table of the model's accuracy on its clean images, each corruption, their mean and the other writers,
    /// scored as <c>build/bench.sh robust</c> scores them (<see cref="RobustnessBenchmark"/>). Default null: no table.</summary>
    public string? RobustnessSet { get; init; }

    /// <summary>The MNIST folder whose t10k files the set's corruptions were made from, for its clean row; needed only for
    /// a set without its own clean images (those made from the test set). Default null.</summary>
    public string? RobustnessMnist { get; init; }
}
