// PredictionInputs.cs — what `digits predict` was given, sorted out: image files (with the class their folder names, if
// any), IDX image files, and the inputs that cannot be read.

namespace DigitsML.Cli;

internal sealed class PredictionInputs
{
    /// <summary>What <see cref="DigitFeatures"/> (SkiaSharp, as ML.NET's <c>LoadImages</c>) decodes, as
    /// <c>ml.Data.LoadFromImageFolder</c> lists them.</summary>
    public static readonly IReadOnlyList<string> ImageExtensions = [".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp"];

    /// <summary>Image formats SkiaSharp does not decode (the first edition read PGM itself); given by name, they are refused
    /// with that reason instead of being read as IDX.</summary>
    private static readonly string[] undecodedExtensions = [".pgm", ".ppm", ".pbm", ".pnm", ".tif", ".tiff"];

    /// <summary>An image file as it will be printed, and the class its folder names (null when the folder names none).</summary>
    public sealed record Image(string Path, string? Truth);

    /// <summary>An input that cannot be read, and the one line that says why (it names the file).</summary>
    public sealed record Unreadable(string Input, string Message);

    public List<Image> Images { get; } = [];

    public List<string> IdxFiles { get; } = [];

    public List<Unreadable> Failures { get; } = [];

    /// <summary>Sorts <paramref name="inputs"/> out: a folder gives its image files (recursively, in ordinal order of path;
    /// other files are ignored, as <c>LoadFromImageFolder</c> ignores them), a file with one of
    /// <see cref="ImageExtensions"/> is an image, a PGM, PPM or TIFF file is refused, any other file is taken as IDX
    /// images. An image is labelled by the first folder below the given one (the layout <c>LoadFromImageFolder</c> reads), or, when it lies directly in the given folder, by
    /// that folder, or, for a file given by itself, by its own folder; only names of <paramref name="classes"/> count.
    /// No image is read here: each is read and decoded once, when it is predicted.</summary>
    public static PredictionInputs Resolve(IEnumerable<string> inputs, IReadOnlyCollection<string> classes)
    {
        var result = new PredictionInputs();
        foreach (string input in inputs)
        {
            if (Directory.Exists(input))
                result.AddFolder(input, classes);
            else if (!File.Exists(input))
                result.Failures.Add(new Unreadable(input, $"{input}: no such file or folder"));
            else if (undecodedExtensions.Contains(Path.GetExtension(input), StringComparer.OrdinalIgnoreCase))
                result.Failures.Add(new Unreadable(input, $"{input}: {Path.GetExtension(input).TrimStart('.').ToUpperInvariant()} images are not " +
                                                          $"decoded; convert it to one of {string.Join(", ", ImageExtensions)}"));
            else if (IsImage(input))
                result.AddImage(input, Label(Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(input))), classes));
            else
                result.IdxFiles.Add(input);
        }
        return result;
    }

    private void AddFolder(string root, IReadOnlyCollection<string> classes)
    {
        var files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Where(IsImage)
            .Select(f => Path.GetRelativePath(root, f)).Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0)
            Failures.Add(new Unreadable(root, $"{root}: no image files ({string.Join(", ", ImageExtensions)}) in this folder or below"));
        string? own = Label(Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(root))), classes);
        foreach (string relative in files)
        {
            int separator = relative.IndexOf(Path.DirectorySeparatorChar);
            AddImage(Path.Join(root, relative), separator > 0 ? Label(relative[..separator], classes) : own);
        }
    }

    private void AddImage(string path, string? truth) => Images.Add(new Image(path, truth));

    private static string? Label(string? folder, IReadOnlyCollection<string> classes) => folder is not null && classes.Contains(folder) ? folder : null;

    private static bool IsImage(string path) => ImageExtensions.Contains(Path.GetExtension(path), StringComparer.OrdinalIgnoreCase);
}
