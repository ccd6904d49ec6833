// Build.cs — what the tests know of this build (from the project file): the repository and the app's own output.
using System.Reflection;

namespace DigitsML.WebApp.Tests;

internal static class Build
{
    /// <summary>The repository's root folder, ending in a separator.</summary>
    public static string RepoRoot => Metadata("RepoRoot");

    /// <summary>samples/WebApp's assembly in its own output folder, built with this project.</summary>
    public static string WebAppDll => Metadata("WebAppDll");

    /// <summary>The photos: one folder per digit, three photos each in PNG, JPEG, BMP, WebP and GIF (PIL, DejaVu fonts).</summary>
    public static string[] Photos =>
    [
        .. Directory.GetFiles(Path.Combine(TestContext.CurrentContext.TestDirectory, "fixtures", "digits"), "*", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal),
    ];

    /// <summary>A file under fixtures/corrupt.</summary>
    public static string Corrupt(string name) => Path.Combine(TestContext.CurrentContext.TestDirectory, "fixtures", "corrupt", name);

    private static string Metadata(string key) =>
        typeof(Build).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
