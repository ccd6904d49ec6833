// Photos.cs — the photos of printed digits the predict tests read, and which of them ImageAnalytics decodes.
namespace DigitsML.Cli.Tests;

internal static class Photos
{
    /// <summary>120 × 160 photos of printed digits, one sub-folder per digit (PNG, BMP and PGM files).</summary>
    public static string Digits => Path.Combine(AppContext.BaseDirectory, "fixtures", "images", "digits");

    /// <summary>The photos `digits predict` reads from <see cref="Digits"/>: the PNG and BMP ones. The PGM photos are
    /// skipped in folders, since SkiaSharp (ImageAnalytics) does not decode PGM.</summary>
    public static IReadOnlyList<string> Decoded => [.. Directory.EnumerateFiles(Digits, "*", SearchOption.AllDirectories)
        .Where(f => Path.GetExtension(f) is ".png" or ".bmp").Order(StringComparer.Ordinal)];

    /// <summary>The PGM photos in <see cref="Digits"/>.</summary>
    public static IReadOnlyList<string> Pgm => [.. Directory.EnumerateFiles(Digits, "*.pgm", SearchOption.AllDirectories).Order(StringComparer.Ordinal)];
}
