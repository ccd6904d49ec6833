// DigitsDataCatalog.cs — ml.Data.LoadFromIdx and LoadFromImageFolder: DigitsML's data loaders as extensions of ML.NET's data catalog.
using DigitsML.Data;
using Microsoft.ML;

namespace DigitsML;

/// <summary>Loaders for digit data, reached from <c>ml.Data</c> of a <see cref="MLContext"/>.</summary>
public static class DigitsDataCatalog
{
    /// <summary>Loads MNIST-style IDX files (each plain or gzip-compressed) as a lazy view with the columns <c>Label</c>
    /// (<see cref="float"/>, the digit as stored) and <c>Features</c> (<c>Vector&lt;Single, 1, rows, columns&gt;</c>, the
    /// pixels divided by 255, in [0, 1]). Only the headers are read now; each cursor streams the files front to back and
    /// opens only the files of the columns it reads. The view cannot shuffle.</summary>
    /// <param name="catalog">The data catalog, <c>ml.Data</c>.</param>
    /// <param name="imagesPath">The IDX image file (rank 3: count, rows, columns; unsigned bytes).</param>
    /// <param name="labelsPath">The IDX label file (rank 1: count; unsigned bytes).</param>
    /// <param name="allowAnyImageSize">False (the default) refuses images other than 28 × 28.</param>
    /// <returns>A view of the images and labels, one row per image.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="catalog"/> is null.</exception>
    /// <exception cref="ArgumentException">A path is null, empty or white space.</exception>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    /// <exception cref="DataFormatException">A file is not IDX of unsigned bytes or is truncated, the images are not 28 × 28
    /// (unless allowed), or the two files hold different counts; the message names the file and what is wrong. A gzip
    /// file found truncated or corrupt while a cursor reads it raises the same exception from <c>MoveNext</c>.</exception>
    public static IDataView LoadFromIdx(this DataOperationsCatalog catalog, string imagesPath, string labelsPath,
        bool allowAnyImageSize = false)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentException.ThrowIfNullOrWhiteSpace(imagesPath);
        ArgumentException.ThrowIfNullOrWhiteSpace(labelsPath);
        return IdxFileDataView.Load(imagesPath, labelsPath, allowAnyImageSize);
    }

    /// <summary>Loads an MNIST-style IDX images file without labels (plain or gzip-compressed) as a lazy view with the
    /// same columns as the labelled overload, so the same models score it: <c>Label</c> (<see cref="float"/>, always NaN:
    /// unknown, which <c>MapValueToKey</c> maps to the missing key) and <c>Features</c> (<c>Vector&lt;Single, 1, rows,
    /// columns&gt;</c>, in [0, 1]). Only the header is read now; a cursor streams the images front to back, so taking the
    /// first N rows reads only N images, whatever the header claims.</summary>
    /// <param name="catalog">The data catalog, <c>ml.Data</c>.</param>
    /// <param name="imagesPath">The IDX image file (rank 3: count, rows, columns; unsigned bytes).</param>
    /// <param name="allowAnyImageSize">False (the default) refuses images other than 28 × 28.</param>
    /// <returns>A view of the images, one row per image.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="catalog"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="imagesPath"/> is null, empty or white space.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="DataFormatException">The file is not IDX images of unsigned bytes, is truncated (plain files:
    /// checked now; gzip: from <c>MoveNext</c> when the data ends early), or the images are not 28 × 28 (unless allowed);
    /// the message names the file and what is wrong.</exception>
    public static IDataView LoadFromIdx(this DataOperationsCatalog catalog, string imagesPath, bool allowAnyImageSize = false)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return IdxFileDataView.Load(imagesPath, null, allowAnyImageSize);
    }

    /// <summary>Lists the images of a folder laid out as one sub-folder per label (<c>root/0/*.png</c>, <c>root/1/*.png</c>,
    /// ...) as a view with the columns <c>Label</c> (the folder's name: <see cref="Microsoft.ML.Data.NumberDataViewType.Single"/>
    /// when every folder name is a whole number, as the digits are, otherwise text) and <c>ImagePath</c> (text, the file's
    /// full path), in ordinal order of folder then path. Files ending .png, .jpg, .jpeg, .bmp, .gif or .webp (any case, what
    /// ML.NET's <c>LoadImages</c> decodes) count, including those in nested folders, which count for their top folder; other
    /// files, and files directly in the root, are ignored. The folders are listed when this is called; no image is read.</summary>
    /// <param name="catalog">The data catalog, <c>ml.Data</c>.</param>
    /// <param name="root">The folder holding one sub-folder per label.</param>
    /// <returns>A view of one row per image file.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="catalog"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="root"/> is null, empty or white space.</exception>
    /// <exception cref="DirectoryNotFoundException"><paramref name="root"/> does not exist.</exception>
    /// <exception cref="DataFormatException">No sub-folder of <paramref name="root"/> holds an image file; the message names
    /// the root.</exception>
    public static IDataView LoadFromImageFolder(this DataOperationsCatalog catalog, string root)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var listing = ImageFolder.List(root, ImageFolder.MLNetExtensions);
        if (listing.Numbers is { } numbers)
            return catalog.LoadFromEnumerable(numbers.Select((label, i) => new NumberLabelRow { Label = label, ImagePath = listing.Paths[i] }).ToList());
        return catalog.LoadFromEnumerable(listing.Labels.Select((label, i) => new TextLabelRow { Label = label, ImagePath = listing.Paths[i] }).ToList());
    }

    /// <summary>Reads and decodes now, as ML.NET's <c>LoadImages</c> will later, every image file named in
    /// <paramref name="data"/>'s path column, and refuses the data with one error naming each bad file. Without it, an
    /// undecodable file fails inside ML.NET's cursor with "Invalid input stream contents (Parameter 'imageStream')",
    /// naming no file, and a truncated PNG or JPEG is read without complaint, its missing pixels filled in. Rows whose
    /// path is empty are skipped (<c>LoadImages</c> gives no image for them and <c>NormalizeDigit</c> all zeros).
    /// Typical use: <c>ml.Data.CheckImageFiles(ml.Data.LoadFromImageFolder("photos"))</c>.</summary>
    /// <param name="catalog">The data catalog, <c>ml.Data</c>.</param>
    /// <param name="data">The rows to check, e.g. from <see cref="LoadFromImageFolder"/>.</param>
    /// <param name="pathColumnName">The text column of file paths; default "ImagePath".</param>
    /// <param name="imageFolder">The folder relative paths are combined with, as <c>LoadImages</c>'s
    /// <c>imageFolder</c>; default null, the paths as they are.</param>
    /// <returns><paramref name="data"/> itself, unchanged.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="catalog"/> or <paramref name="data"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The path column is missing or not text; the message names it.</exception>
    /// <exception cref="DataFormatException">A file does not exist, cannot be read, is empty, is not an image
    /// ImageAnalytics decodes (PNG, JPEG, BMP, GIF, WebP), is truncated or damaged, or has more pixels than
    /// NormalizeDigit reads. <see cref="DataFormatException.FilePath"/> is the first such file; the message names it and
    /// up to nine more, each with what is wrong.</exception>
    public static IDataView CheckImageFiles(this DataOperationsCatalog catalog, IDataView data, string pathColumnName = "ImagePath",
        string? imageFolder = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ImageFileCheck.Check(data, pathColumnName, imageFolder);
        return data;
    }

    private sealed class NumberLabelRow
    {
        public float Label { get; set; }
        public string ImagePath { get; set; } = "";
    }

    private sealed class TextLabelRow
    {
        public string Label { get; set; } = "";
        public string ImagePath { get; set; } = "";
    }
}
