// OrderStatistics.cs — the k-th smallest of many grey levels without sorting them all (the percentiles NormalizeDigit reads).

namespace DigitsML.Imaging;

/// <summary>Percentiles of an image's values, each the k-th smallest value exactly as a full sort would give it, found
/// by quickselect (expected linear time) on a scratch copy: a phone photo has a few hundred thousand values and
/// NormalizeDigit needs only a handful of them.</summary>
internal sealed class OrderStatistics
{
    private readonly float[] values;

    /// <summary>Copies <paramref name="source"/>; the copy is reordered by each query.</summary>
    internal OrderStatistics(ReadOnlySpan<float> source) => values = source.ToArray();

    internal int Count => values.Length;

    /// <summary>The value at position ⌊q (n − 1)⌋ of the values in order (q clamped to [0, 1]).</summary>
    internal float Percentile(float q) => Smallest(Math.Clamp((int)(q * (values.Length - 1)), 0, values.Length - 1));

    /// <summary>The <paramref name="k"/>-th smallest value, from 0.</summary>
    internal float Smallest(int k) => Select(values, k);

    /// <summary>The <paramref name="k"/>-th smallest of <paramref name="a"/> (reordered): Hoare partitioning around the
    /// median of three, narrowing to the side that holds k.</summary>
    internal static float Select(float[] a, int k)
    {
        int lo = 0, hi = a.Length - 1;
        while (hi > lo)
        {
            int mid = lo + (hi - lo) / 2;
            if (a[mid] < a[lo]) (a[mid], a[lo]) = (a[lo], a[mid]);
            if (a[hi] < a[lo]) (a[hi], a[lo]) = (a[lo], a[hi]);
            if (a[hi] < a[mid]) (a[hi], a[mid]) = (a[mid], a[hi]);
            float pivot = a[mid];
            int i = lo, j = hi;
            while (i <= j)
            {
                while (a[i] < pivot) i++;
                while (a[j] > pivot) j--;
                if (i <= j)
                {
                    (a[i], a[j]) = (a[j], a[i]);
                    i++;
                    j--;
                }
            }
            if (k <= j)
                hi = j;
            else if (k >= i)
                lo = i;
            else
                return a[k];
        }
        return a[k];
    }
}
