// DefaultColumnNames.cs — the column names trainers and evaluators use unless told otherwise, as in ML.NET.
namespace DigitsML;

/// <summary>ML.NET's default column names.</summary>
public static class DefaultColumnNames
{
    /// <summary>"Label": the truth a trainer learns and an evaluator checks.</summary>
    public const string Label = "Label";

    /// <summary>"Features": what a trainer learns from.</summary>
    public const string Features = "Features";

    /// <summary>"Score": the class probabilities a multiclass model gives.</summary>
    public const string Score = "Score";

    /// <summary>"PredictedLabel": the key of the most probable class.</summary>
    public const string PredictedLabel = "PredictedLabel";
}
