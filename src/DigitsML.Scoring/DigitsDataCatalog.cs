// DigitsDataCatalog.cs — ml.Data.LoadFromIdx: DigitsML's data loaders as extensions of ML.NET's data catalog.
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
        return IdxFileDataView.Load(imagesPath, labelsPath, allowAnyImageSize);
    }
}
