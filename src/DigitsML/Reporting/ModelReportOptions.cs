// ModelReportOptions.cs — what a model report shows, each default stated once.
namespace DigitsML.Reporting;

/// <summary>Settings of <c>ModelReport.Write</c>.</summary>
public sealed record ModelReportOptions
{
    /// <summary>The page title; default "DigitsML model report".</summary>
    public string Title { get; init; } = "DigitsML model report";

    /// <summary>Misclassified images shown, the most confident mistakes first; default 24.</summary>
    public int MisclassifiedCount { get; init; } = 24;

    /// <summary>Correctly classified images shown, the least confident first; default 12.</summary>
    public int CorrectCount { get; init; } = 12;
}
