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

    /// <summary>Reads both files (each plain or gzip-compressed).</summary>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    /// <exception cref="DataFormatException">A file is not IDX, or the counts differ.</exception>
    internal static IdxDataView Load(string imagesPath, string labelsPath)
    {
        var (count, rows, columns, bytes) = IdxFile.ReadImages(imagesPath);
        byte[] labels = IdxFile.ReadLabels(labelsPath);
        if (labels.Length != count)
            throw new DataFormatException(labelsPath, $"holds {labels.Length:N0} labels but {imagesPath} holds {count:N0} images");
        if (rows < 1 || columns < 1)
            throw new DataFormatException(imagesPath, $"images of {rows} × {columns} pixels are empty");
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
