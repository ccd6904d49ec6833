// PercentileTests.cs — nearest-rank percentiles on data whose answers are worked out by hand from the definition
// (rank = ceil(p/100 × n), counted from 1).
namespace DigitsML.LoadTest.Tests;

[TestFixture]
public sealed class PercentileTests
{
    // The two worked examples of the nearest-rank method most texts use.
    private static readonly double[] Five = [15, 20, 35, 40, 50];
    private static readonly double[] Ten = [3, 6, 7, 8, 8, 10, 13, 15, 16, 20];

    [TestCase(5, 15)]
    [TestCase(20, 15)]
    [TestCase(30, 20)]
    [TestCase(40, 20)]
    [TestCase(50, 35)]
    [TestCase(100, 50)]
    public void NearestRank_FiveValues_ValueAtRankCeilingOfPTimesN(double p, double expected) =>
        Assert.That(Percentile.NearestRank(Five, p), Is.EqualTo(expected));

    [TestCase(25, 7)]
    [TestCase(50, 8)]
    [TestCase(75, 15)]
    [TestCase(100, 20)]
    public void NearestRank_TenValues_ValueAtRankCeilingOfPTimesN(double p, double expected) =>
        Assert.That(Percentile.NearestRank(Ten, p), Is.EqualTo(expected));

    [TestCase(100, 50, 50)]
    [TestCase(100, 99, 99)]    // 99 % of 100 is rank 99 exactly, not 100 through 0.99's binary rounding
    [TestCase(1000, 99, 990)]
    [TestCase(1000, 99.9, 999)]
    [TestCase(1000, 50, 500)]
    [TestCase(101, 99, 100)]   // ceil(99.99) = 100
    [TestCase(7, 1, 1)]        // the smallest p still has rank 1
    public void NearestRank_OneToN_RankIsCeiling(int n, double p, double expected)
    {
        double[] values = Enumerable.Range(1, n).Select(i => (double)i).ToArray();
        Assert.That(Percentile.NearestRank(values, p), Is.EqualTo(expected));
    }

    [Test]
    public void NearestRank_OneValue_IsThatValueForEveryP()
    {
        double[] one = [4.25];
        Assert.That(new[] { 0.001, 50, 99, 100 }.Select(p => Percentile.NearestRank(one, p)), Is.All.EqualTo(4.25));
    }

    [Test]
    public void NearestRank_Empty_Throws() =>
        Assert.That(() => Percentile.NearestRank([], 50), Throws.ArgumentException.With.Message.Contains("no values"));

    [TestCase(0)]
    [TestCase(-1)]
    [TestCase(100.5)]
    [TestCase(double.NaN)]
    public void NearestRank_POutsideZeroToHundred_Throws(double p) =>
        Assert.That(() => Percentile.NearestRank(Five, p), Throws.TypeOf<ArgumentOutOfRangeException>());
}
