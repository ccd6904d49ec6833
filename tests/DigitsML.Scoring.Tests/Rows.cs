// Rows.cs — the row classes the image tests read and write through ML.NET: a path column in, 28 × 28 features out.
using Microsoft.ML.Data;

namespace DigitsML.Scoring.Tests;

/// <summary>One image file, as <c>LoadFromEnumerable</c> makes a path column of it.</summary>
internal sealed class PathRow
{
    public string ImagePath { get; set; } = "";
}

/// <summary>NormalizeDigit's output, read back with <c>CreateEnumerable</c>.</summary>
internal sealed class FeaturesRow
{
    [VectorType(1, 28, 28)]
    public float[] Features { get; set; } = [];
}
