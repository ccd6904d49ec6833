// ImageFolder.cs — the listing of a folder laid out as one sub-folder per label, for LoadFromImageFolder.
using System.Globalization;

namespace DigitsML.Data;

/// <summary>Lists the image files under each immediate sub-folder of a root, in ordinal order of folder then path (files
/// in nested folders count for their top folder). The label is the folder's name, also as a number when every folder name
/// is a whole number (e.g. "0" to "9"). Used by <see cref="DigitsDataCatalog.LoadFromImageFolder"/> with the extensions
/// ImageAnalytics decodes.</summary>
internal static class ImageFolder
{
    /// <summary>What ML.NET's ImageAnalytics (SkiaSharp) decodes.</summary>
    internal static readonly IReadOnlyList<string> MLNetExtensions = [".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp"];

    /// <summary>The files found: one label and full path per file; <see cref="Numbers"/> holds the labels as numbers when
    /// every folder name is a whole number, otherwise it is null.</summary>
    internal sealed record Listing(string[] Labels, string[] Paths, float[]? Numbers);

    /// <summary>Lists the files of <paramref name="root"/> whose extension (any case) is one of <paramref name="extensions"/>.</summary>
    /// <exception cref="DirectoryNotFoundException">The root does not exist.</exception>
    /// <exception cref="DataFormatException">The root has no sub-folder holding such a file; the message names the root.</exception>
    internal static Listing List(string root, IReadOnlyList<string> extensions)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        ArgumentNullException.ThrowIfNull(extensions);
        if (!Directory.Exists(root))
            throw new DirectoryNotFoundException($"The image folder '{root}' does not exist.");
        var labels = new List<string>();
        var paths = new List<string>();
        foreach (var folder in Directory.GetDirectories(root).Order(StringComparer.Ordinal))
        {
            var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
                .Where(f => extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal);
            foreach (var file in files)
            {
                labels.Add(Path.GetFileName(folder));
                paths.Add(Path.GetFullPath(file));
            }
        }
        if (paths.Count == 0)
            throw new DataFormatException(root,
                $"holds no image files ({string.Join(", ", extensions)}) in sub-folders; expected one sub-folder per label, e.g. 0/, 1/, ..., 9/");
        float[]? numbers = null;
        if (labels.All(l => l.Length is > 0 and <= 7 && l.All(char.IsAsciiDigit)))
            numbers = [.. labels.Select(l => (float)int.Parse(l, CultureInfo.InvariantCulture))];
        return new Listing([.. labels], [.. paths], numbers);
    }
}
