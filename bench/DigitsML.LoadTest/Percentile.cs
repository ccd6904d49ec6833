// Percentile.cs — nearest-rank percentiles: every reported latency is one that a request actually took.
namespace DigitsML.LoadTest;

internal static class Percentile
{
    /// <summary>The nearest-rank percentile of values sorted ascending: the smallest value such that at least p % of the
    /// values are at or below it, i.e. the value at rank ceil(p/100 × n), counting from 1. p must lie in (0, 100].</summary>
    public static double NearestRank(IReadOnlyList<double> sortedAscending, double p)
    {
        ArgumentNullException.ThrowIfNull(sortedAscending);
        if (sortedAscending.Count == 0)
            throw new ArgumentException("no values to take a percentile of", nameof(sortedAscending));
        if (!(p > 0 && p <= 100))
            throw new ArgumentOutOfRangeException(nameof(p), p, "a nearest-rank percentile lies in (0, 100]");
        // p × n first, then / 100: for whole p and n the product is exact, so a rank such as 99 % of 100 = 99 does not
        // become 100 through 0.99's binary rounding.
        long rank = (long)Math.Ceiling(p * sortedAscending.Count / 100.0);
        return sortedAscending[(int)Math.Clamp(rank, 1, sortedAscending.Count) - 1];
    }
}
