// IdxFileDataView.cs — an IDX image file and its label file as an ML.NET IDataView, streamed from disk row by row.
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DigitsML.Data;

/// <summary>Images and labels of two IDX files (each plain or gzip-compressed): <c>Label</c> (Single; NaN, unknown, for
/// an images file without labels) and <c>Features</c> (<c>Vector&lt;Single, 1, rows, columns&gt;</c>, pixel / 255 in [0, 1]). Building the view reads the two headers only;
/// each cursor opens the files it needs and reads them front to back, so memory stays at one image whatever the file.</summary>
internal sealed class IdxFileDataView : IDataView
{
    internal const string LabelColumn = "Label";
    internal const string FeaturesColumn = "Features";

    /// <summary>The image size MNIST and the built-in architectures use.</summary>
    internal const int MnistSide = 28;

    private readonly string imagesPath;
    private readonly string? labelsPath;
    private readonly int count;
    private readonly int rows;
    private readonly int columns;

    private IdxFileDataView(string imagesPath, string? labelsPath, int count, int rows, int columns)
    {
        this.imagesPath = imagesPath;
        this.labelsPath = labelsPath;
        this.count = count;
        this.rows = rows;
        this.columns = columns;
        var builder = new DataViewSchema.Builder();
        builder.AddColumn(LabelColumn, NumberDataViewType.Single);
        builder.AddColumn(FeaturesColumn, new VectorDataViewType(NumberDataViewType.Single, 1, rows, columns));
        Schema = builder.ToSchema();
    }

    /// <summary>Checks both headers (the images' only, without <paramref name="labelsPath"/>) and that the counts agree;
    /// reads no pixels.</summary>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    /// <exception cref="DataFormatException">A file is not IDX of unsigned bytes or is truncated, the images are not
    /// 28 × 28 (unless <paramref name="allowAnyImageSize"/>), or the counts differ; the message names the file.</exception>
    internal static IdxFileDataView Load(string imagesPath, string? labelsPath, bool allowAnyImageSize)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(imagesPath);
        if (labelsPath is not null)
            ArgumentException.ThrowIfNullOrWhiteSpace(labelsPath);
        int count, rows, columns;
        using (var images = IdxFile.OpenImages(imagesPath))
            (count, rows, columns) = (images.Count, images.Dimensions[1], images.Dimensions[2]);
        if (rows < 1 || columns < 1)
            throw new DataFormatException(imagesPath, $"images of {rows} × {columns} pixels are empty");
        if (!allowAnyImageSize && (rows != MnistSide || columns != MnistSide))
            throw new DataFormatException(imagesPath,
                $"images are {rows} × {columns} pixels; expected {MnistSide} × {MnistSide} (pass allowAnyImageSize: true to load them as they are)");
        if (labelsPath is null)
            return new IdxFileDataView(imagesPath, null, count, rows, columns);
        int labels;
        using (var labelFile = IdxFile.OpenLabels(labelsPath))
            labels = labelFile.Count;
        if (labels != count)
            throw new DataFormatException(labelsPath, $"holds {labels:N0} labels but {imagesPath} holds {count:N0} images");
        return new IdxFileDataView(imagesPath, labelsPath, count, rows, columns);
    }

    public DataViewSchema Schema { get; }

    /// <summary>False: the files are read front to back.</summary>
    public bool CanShuffle => false;

    public long? GetRowCount() => count;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        ArgumentNullException.ThrowIfNull(columnsNeeded);
        bool label = false, features = false;
        foreach (var column in columnsNeeded)
        {
            CheckOwnColumn(column);
            label |= column.Index == 0;
            features |= column.Index == 1;
        }
        return new Cursor(this, label, features);
    }

    /// <summary>One cursor: the files are sequential, so splitting them would only add seeks.</summary>
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
        => [GetRowCursor(columnsNeeded, rand)];

    private void CheckOwnColumn(DataViewSchema.Column column)
    {
        if (column.Index < 0 || column.Index >= Schema.Count || Schema[column.Index].Name != column.Name)
            throw new ArgumentOutOfRangeException(nameof(column), $"Column '{column.Name}' is not in the schema of this IDX view (Label, Features).");
    }

    /// <summary>Reads a label byte and, when Features is active, an image's bytes per row; pixels become floats only
    /// when the Features getter is called.</summary>
    private sealed class Cursor : DataViewRowCursor
    {
        private readonly IdxFileDataView view;
        private readonly IdxFile.Reader? labels;
        private readonly IdxFile.Reader? images;
        private readonly bool labelActive;
        private readonly byte[] label = new byte[1];
        private readonly byte[]? pixels;
        private long position = -1;
        private bool disposed;

        public Cursor(IdxFileDataView view, bool labelActive, bool featuresActive)
        {
            this.view = view;
            this.labelActive = labelActive;
            try
            {
                if (labelActive && view.labelsPath is not null)
                    labels = Open(IdxFile.OpenLabels(view.labelsPath), view.count);
                if (featuresActive)
                {
                    images = Open(IdxFile.OpenImages(view.imagesPath), view.count, view.rows, view.columns);
                    pixels = new byte[images.RecordLength];
                }
            }
            catch
            {
                labels?.Dispose();
                throw;
            }
        }

        /// <summary>Refuses a file whose header no longer matches what the view was built from.</summary>
        private static IdxFile.Reader Open(IdxFile.Reader reader, params int[] dimensions)
        {
            if (!reader.Dimensions.AsSpan().SequenceEqual(dimensions))
            {
                reader.Dispose();
                throw new DataFormatException(reader.Path,
                    $"changed since the view was loaded: dimensions {string.Join(" × ", reader.Dimensions)}, expected {string.Join(" × ", dimensions)}");
            }
            return reader;
        }

        public override DataViewSchema Schema => view.Schema;

        public override long Position => position;

        public override long Batch => 0;

        public override bool MoveNext()
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            if (position + 1 >= view.count)
            {
                position = view.count;
                return false;
            }
            labels?.ReadRecord(label);
            images?.ReadRecord(pixels);
            position++;
            return true;
        }

        public override bool IsColumnActive(DataViewSchema.Column column)
        {
            view.CheckOwnColumn(column);
            return column.Index == 0 ? labelActive : images is not null;
        }

        public override ValueGetter<DataViewRowId> GetIdGetter()
            => (ref DataViewRowId value) => value = new DataViewRowId((ulong)CheckRow(), 0);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (!IsColumnActive(column))
                throw new InvalidOperationException($"Column '{column.Name}' was not requested when the cursor was made.");
            Delegate getter = column.Index == 0 ? (ValueGetter<float>)GetLabel : (ValueGetter<VBuffer<float>>)GetFeatures;
            return getter as ValueGetter<TValue> ?? throw new InvalidOperationException(
                $"Column '{column.Name}' is {column.Type}; it cannot be read as {typeof(TValue).Name}.");
        }

        private void GetLabel(ref float value)
        {
            CheckRow();
            value = labels is null ? float.NaN : label[0];
        }

        private void GetFeatures(ref VBuffer<float> value)
        {
            CheckRow();
            var editor = VBufferEditor.Create(ref value, pixels!.Length);
            for (int i = 0; i < pixels.Length; i++)
                editor.Values[i] = pixels[i] / 255f;
            value = editor.Commit();
        }

        private long CheckRow()
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            if (position < 0 || position >= view.count)
                throw new InvalidOperationException("The cursor is not on a row: call MoveNext first, and only while it returns true.");
            return position;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposed)
                return;
            disposed = true;
            if (disposing)
            {
                labels?.Dispose();
                images?.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
