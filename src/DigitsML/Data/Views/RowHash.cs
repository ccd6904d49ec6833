// RowHash.cs — a repeatable uniform number per (seed, row position), for splits and folds that stream.
namespace DigitsML.Data;

/// <summary>SplitMix64 of the seed and position: the same row gets the same number on every pass and machine, with
/// no state to keep, so splits can be decided row by row while streaming.</summary>
internal static class RowHash
{
    /// <summary>A number in [0, 1) for row <paramref name="position"/> under <paramref name="seed"/>.</summary>
    internal static double Uniform(int seed, long position)
    {
        ulong z = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + (ulong)position * 0xBF58476D1CE4E5B9UL + 0x94D049BB133111EBUL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return (z >> 11) * (1.0 / (1UL << 53));
    }
}
