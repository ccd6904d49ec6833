// Seeds.cs — the one SplitMix64 finaliser that derives independent, process-stable seeds from a recipe's seed.
namespace DigitsML.Engine;

/// <summary>Derived seeds, the same in every process (HashCode is randomised per process, so it is not used).</summary>
internal static class Seeds
{
    /// <summary>SplitMix64's output for state <paramref name="z"/>.</summary>
    public static ulong SplitMix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>The dropout generator's seed for a network created with weight seed <paramref name="seed"/>.</summary>
    public static ulong Dropout(ulong seed) => SplitMix(seed ^ 0x5eed5eed5eed5eedUL);

    /// <summary>The seed of epoch <paramref name="epoch"/>'s augmentation draws (0-based), so a resumed run draws the same.</summary>
    public static int Augmentation(int seed, int epoch) => (int)(SplitMix((ulong)(uint)seed << 32 | (uint)epoch) & int.MaxValue);
}
