// RobustnessResult.cs — one set's line of the robustness benchmark: how many of its images a model labelled right.
using System.Globalization;

namespace DigitsML;

/// <summary>A model's result on one set of the robustness benchmark (<see cref="RobustnessBenchmark"/>).</summary>
/// <param name="Name">"clean", a corruption's name, "writers_rendered" or "writers_photos".</param>
/// <param name="Images">Images scored.</param>
/// <param name="Correct">Images whose most probable class is their label.</param>
public sealed record RobustnessResult(string Name, int Images, int Correct)
{
    /// <summary>The fraction right; 0 for an empty set.</summary>
    public double Accuracy => Images == 0 ? 0 : (double)Correct / Images;

    /// <summary>Whether this is one of the corruptions (not the clean images nor the other writers).</summary>
    public bool IsCorruption => Name != RobustnessBenchmark.CleanName && !Name.StartsWith(RobustnessBenchmark.WritersPrefix, StringComparison.Ordinal);

    /// <summary>The line build/bench.sh robust reads (the same keys as bench/robust_peer.py prints).</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"robust_set={Name} images={Images} correct={Correct} accuracy={Accuracy:F4}");
}
