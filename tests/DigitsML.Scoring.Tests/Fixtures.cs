// Fixtures.cs — where the tests find the images fixtures/make_images.py made with PIL (copied to the output folder).
namespace DigitsML.Scoring.Tests;

internal static class Fixtures
{
    private static string Root => Path.Combine(TestContext.CurrentContext.TestDirectory, "fixtures");

    /// <summary>A file under fixtures/, e.g. "glyphs/3_dark.png".</summary>
    public static string File(string relative) => Path.Combine(Root, relative);

    /// <summary>The photo folder: one sub-folder per digit, three photos each in PNG, JPEG, BMP, WebP and GIF.</summary>
    public static string Digits => Path.Combine(Root, "digits");

    /// <summary>Every photo under <see cref="Digits"/>, in ordinal order.</summary>
    public static string[] Photos => [.. Directory.GetFiles(Digits, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)];
}
