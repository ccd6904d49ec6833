// ImageFixtures.cs — where the Imaging tests find the images make_images.py wrote, and PIL's decoding of them.
using System.Text.Json;

namespace DigitsML.Tests.Imaging;

internal static class ImageFixtures
{
    public static string Root => Path.Combine(TestContext.CurrentContext.TestDirectory, "fixtures", "images");

    public static string Formats => Path.Combine(Root, "formats");

    /// <summary>120 × 160 photos of printed digits, one sub-folder per digit.</summary>
    public static string Digits => Path.Combine(Root, "digits");

    public static string Format(string name) => Path.Combine(Formats, name);

    /// <summary>PIL's decoding of each format fixture: size and grey levels (BT.601 luma, alpha over white).</summary>
    public static IReadOnlyDictionary<string, Expected> PilDecoded => pil.Value;

    private static readonly Lazy<Dictionary<string, Expected>> pil = new(() =>
    {
        // TestDirectory is not known in a static initialiser outside a test, so read the file next to the assembly.
        string path = Path.Combine(Path.GetDirectoryName(typeof(ImageFixtures).Assembly.Location)!, "fixtures", "images", "formats", "expected.json");
        return JsonSerializer.Deserialize<Dictionary<string, Expected>>(File.ReadAllBytes(path), new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!;
    });

    public sealed record Expected(int Width, int Height, string PilMode, float[] Grey);
}
