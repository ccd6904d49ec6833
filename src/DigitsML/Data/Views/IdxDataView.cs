// IdxDataView.cs — MNIST-style IDX images and labels as a data view: Label (Single) and Features (Vector<Single, 1, H, W>).
using DigitsML.IO;

namespace DigitsML.Data;

/// <summary>Images and labels read from IDX files. The bytes stay in memory as read (a quarter of the size of
/// floats); each row's pixels are scaled to [0, 1] when its Features getter is called.</summary>
internal sealed class IdxDataView : RandomAccessDataView
{
    internal const string LabelColumn = "Label";
    internal const string FeaturesColumn = "Features";

    private readonly byte[] pixels;
    private readonly byte[] labels;
    private readonly int elements;

    private IdxDataView(byte[] pixels, byte[] labels, int rows, int columns)
    {
        this.pixels = pixels;
        this.labels = labels;
        elements = rows * columns;
        var builder = new DataViewSchema.Builder();
        builder.AddColumn(LabelColumn, NumberDataViewType.Single);
        builder.AddColumn(FeaturesColumn, new VectorDataViewType(NumberDataViewType.Single, 1, rows, columns));
        Schema = builder.ToSchema();
    }

    public override DataViewSchema Schema { get; }

    protected override int RowCount => labels.Length;

    /// <summary>The image size MNIST and the built-in architectures use.</summary>
    internal const int MnistSide = 28;

    /// <summary>Reads both files (each plain or gzip-compressed).</summary>
    /// <param name="imagesPath">The IDX image file.</param>
    /// <param name="labelsPath">The IDX label file.</param>
    /// <param name="classCount">Labels must lie in 0 .. classCount − 1.</param>
    /// <param name="allowAnyImageSize">False refuses images other than 28 × 28.</param>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    /// <exception cref="DataFormatException">A file is not IDX, the counts differ, the images are not 28 × 28 (unless
    /// allowed) or a label is outside the classes; the message names the file, the sizes or the row.</exception>
    internal static IdxDataView Load(string imagesPath, string labelsPath, int classCount, bool allowAnyImageSize)
    {
        var (count, rows, columns, bytes) = IdxFile.ReadImages(imagesPath);
        if (rows < 1 || columns < 1)
            throw new DataFormatException(imagesPath, $"images of {rows} × {columns} pixels are empty");
        if (!allowAnyImageSize && (rows != MnistSide || columns != MnistSide))
            throw new DataFormatException(imagesPath,
                $"images are {rows} × {columns} pixels; expected {MnistSide} × {MnistSide} (pass allowAnyImageSize: true to load them as they are)");
        byte[] labels = IdxFile.ReadLabels(labelsPath);
        if (labels.Length != count)
            throw new DataFormatException(labelsPath, $"holds {labels.Length:N0} labels but {imagesPath} holds {count:N0} images");
        int bad = Array.FindIndex(labels, l => l >= classCount);
        if (bad >= 0)
            throw new DataFormatException(labelsPath, $"row {bad} has label {labels[bad]}, outside the {classCount} classes 0 .. {classCount - 1}");
        return new IdxDataView(bytes, labels, rows, columns);
    }

    protected override Delegate MakeGetter(int column, Func<int> row)
    {
        if (column == 0)
            return (ValueGetter<float>)((ref float value) => value = labels[row()]);
        return (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) =>
        {
            var source = pixels.AsSpan(row() * elements, elements);
            var target = VBuffer<float>.Prepare(ref value, elements);
            for (int i = 0; i < source.Length; i++)
                target[i] = source[i] / 255f;
        });
    }
}
