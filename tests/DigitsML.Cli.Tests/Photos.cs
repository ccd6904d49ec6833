// Photos.cs — the photos of printed digits the predict tests read, and which of them ImageAnalytics decodes.
namespace DigitsML.Cli.Tests;

internal static class Photos
{
    /// <summary>120 × 160 photos of printed digits, one sub-folder per digit (PNG, JPEG and BMP files).</summary>
    public static string Digits => Path.Combine(AppContext.BaseDirectory, "fixtures", "images", "digits");

    /// <summary>The photos `digits predict` reads from <see cref="Digits"/>: every file of an extension ImageAnalytics
    /// decodes (PGM, which it does not, would be skipped in folders).</summary>
    public static IReadOnlyList<string> Decoded => [.. Directory.EnumerateFiles(Digits, "*", SearchOption.AllDirectories)
        .Where(f => Path.GetExtension(f) is ".png" or ".jpg" or ".jpeg" or ".bmp" or ".gif" or ".webp").Order(StringComparer.Ordinal)];
}
