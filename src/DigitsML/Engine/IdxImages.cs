// IdxImages.cs — an unlabelled IDX image file as pixels in [0, 1], the one reading of DigitDataset that `digits predict`
// needs in public while ml.Data.LoadFromIdx reads only labelled files.
using System.ComponentModel;

namespace DigitsML.Engine;

/// <summary>Reads an IDX image file without labels; <c>ml.Data.LoadFromIdx</c> reads labelled ones.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class IdxImages
{
    /// <summary>Every image of the file, row-major, pixels divided by 255.</summary>
    /// <returns>The pixels, the number of images and the shape of one (1, rows, columns).</returns>
    /// <exception cref="DataFormatException">The file is not valid IDX; the message names it.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static (float[] Pixels, int Count, TensorShape Shape) Load(string imagesPath)
    {
        var images = DigitDataset.LoadIdxImages(imagesPath);
        return (images.Pixels, images.Count, images.Shape);
    }
}
