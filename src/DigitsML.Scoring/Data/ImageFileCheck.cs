// ImageFileCheck.cs — decodes every image file a path column names, as LoadImages will, so that a bad file is named.
using DigitsML.Imaging;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DigitsML.Data;

/// <summary>What <see cref="DigitsDataCatalog.CheckImageFiles"/> does. ML.NET's <c>LoadImages</c> decodes through
/// SkiaSharp when a cursor reaches the row: an undecodable file throws "Invalid input stream contents" there, naming no
/// file (and wrapped in "Splitter/consolidator worker encountered exception" under parallel cursors), and a truncated
/// file decodes without complaint, the missing part filled in. Decoding each file here first, with SkiaSharp's codec,
/// which does report truncation, turns both into one <see cref="DataFormatException"/> naming the files.</summary>
internal static class ImageFileCheck
{
    /// <summary>How many bad files one message names.</summary>
    private const int Named = 10;

    internal static void Check(IDataView data, string pathColumnName, string? imageFolder)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentException.ThrowIfNullOrWhiteSpace(pathColumnName);
        if (data.Schema.GetColumnOrNull(pathColumnName) is not { } column)
            throw new ArgumentOutOfRangeException(nameof(pathColumnName), $"Schema mismatch: the path column '{pathColumnName}' was not found.");
        if (column.Type is not TextDataViewType)
            throw new ArgumentOutOfRangeException(nameof(pathColumnName),
                $"Schema mismatch for path column '{pathColumnName}': expected String, got {column.Type}.");

        var bad = new List<(string Path, string Problem)>();
        using (var cursor = data.GetRowCursor([column]))
        {
            var getter = cursor.GetGetter<ReadOnlyMemory<char>>(column);
            ReadOnlyMemory<char> value = default;
            while (cursor.MoveNext())
            {
                getter(ref value);
                if (value.Length == 0)
                    continue; // LoadImages gives no image for an empty path, and NormalizeDigit zeros: not an error.
                string path = value.ToString();
                if (!string.IsNullOrWhiteSpace(imageFolder))
                    path = Path.Combine(imageFolder, path); // as LoadImages combines them
                if (Problem(path) is { } problem)
                    bad.Add((path, problem));
            }
        }
        if (bad.Count == 0)
            return;
        string others = bad.Count == 1 ? ""
            : $"; {bad.Count - 1} more image file(s) cannot be read either: " +
              string.Join("; ", bad.Skip(1).Take(Named - 1).Select(b => $"{b.Path}: {b.Problem}")) +
              (bad.Count > Named ? $"; and {bad.Count - Named} more" : "");
        throw new DataFormatException(bad[0].Path, bad[0].Problem + others);
    }

    /// <summary>What is wrong with the file at <paramref name="path"/> for LoadImages, or null when it decodes whole.</summary>
    private static string? Problem(string path)
    {
        FileInfo file;
        try
        {
            file = new FileInfo(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return $"not a valid file path ({e.Message})";
        }
        if (EncodedImage.ReadFile(file.FullName, DigitFeatures.MaxFileBytes, out byte[]? bytes) is { } problem)
            return problem;
        return EncodedImage.Decode(bytes, GrayImage.MaxPixels, "NormalizeDigit reads", keepPixels: false, out _);
    }
}
