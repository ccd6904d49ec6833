// DigitDataset.cs — images and labels in memory, in the layout the trainer uploads to the device as one tensor.
using DigitsML.Data;
using DigitsML.Networks;

namespace DigitsML.Engine;

/// <summary>Labelled images in memory: pixels as floats in [0, 1], row-major, one example after another,
/// and class labels 0..K−1.</summary>
internal sealed class DigitDataset
{
    /// <summary>Wraps arrays; they are not copied.</summary>
    /// <exception cref="ArgumentException">The lengths do not agree with the shape or a label is negative.</exception>
    public DigitDataset(float[] pixels, int[] labels, TensorShape shape)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(labels);
        if ((long)labels.Length * shape.Elements != pixels.Length)
            throw new ArgumentException(
                $"{labels.Length} examples of shape {shape} need {labels.Length * shape.Elements} pixels; {pixels.Length} were given.", nameof(pixels));
        int bad = Array.FindIndex(labels, l => l < 0);
        if (bad >= 0)
            throw new ArgumentException($"Label at row {bad} is negative ({labels[bad]}).", nameof(labels));
        Pixels = pixels;
        Labels = labels;
        Shape = shape;
    }

    /// <summary>Count × shape values in [0, 1].</summary>
    public float[] Pixels { get; }

    /// <summary>One label per example.</summary>
    public int[] Labels { get; }

    /// <summary>The shape of one example.</summary>
    public TensorShape Shape { get; }

    /// <summary>Number of examples.</summary>
    public int Count => Labels.Length;

    /// <summary>Loads an IDX image file and its label file (each plain or .gz), scaling pixels to [0, 1].</summary>
    /// <exception cref="DataFormatException">A file is not valid IDX, or the image and label counts differ.</exception>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    public static DigitDataset LoadIdx(string imagesPath, string labelsPath)
    {
        var (count, rows, columns, bytes) = IdxFile.ReadImages(imagesPath);
        byte[] labels = IdxFile.ReadLabels(labelsPath);
        if (labels.Length != count)
            throw new DataFormatException(labelsPath, $"holds {labels.Length:N0} labels but {imagesPath} holds {count:N0} images");
        var pixels = new float[bytes.Length];
        for (int i = 0; i < bytes.Length; i++)
            pixels[i] = bytes[i] / 255f;
        return new DigitDataset(pixels, Array.ConvertAll(labels, b => (int)b), TensorShape.Image(1, rows, columns));
    }

    /// <summary>Examples <paramref name="start"/> to start + count − 1 (copied).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The range is outside the data.</exception>
    public DigitDataset Slice(int start, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start + count, Count, nameof(count));
        int e = (int)Shape.Elements;
        return new DigitDataset(Pixels.AsSpan(start * e, count * e).ToArray(), Labels.AsSpan(start, count).ToArray(), Shape);
    }

    /// <summary>The first <paramref name="count"/> examples, or all when there are fewer.</summary>
    public DigitDataset Take(int count) => Slice(0, Math.Min(Math.Max(0, count), Count));
}
