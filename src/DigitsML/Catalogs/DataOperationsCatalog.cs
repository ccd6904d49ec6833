// DataOperationsCatalog.cs — ml.Data: loading data, converting it to and from user classes, splitting and reshaping views.
using DigitsML.Data;

namespace DigitsML;

/// <summary>Operations on data, reached as <c>ml.Data</c>. Every returned view is lazy: rows are read when a cursor
/// moves, so chaining these costs nothing until a trainer, evaluator or <see cref="CreateEnumerable{TRow}"/> reads.</summary>
public sealed class DataOperationsCatalog
{
    private readonly MLContext context;

    internal DataOperationsCatalog(MLContext context) => this.context = context;

    /// <summary>A training set and a test set.</summary>
    public sealed class TrainTestData
    {
        internal TrainTestData(IDataView trainSet, IDataView testSet)
        {
            TrainSet = trainSet;
            TestSet = testSet;
        }

        /// <summary>The rows to train on.</summary>
        public IDataView TrainSet { get; }

        /// <summary>The held-out rows.</summary>
        public IDataView TestSet { get; }
    }

    /// <summary>Streams <paramref name="data"/> as a view whose columns are <typeparamref name="TRow"/>'s public fields and
    /// properties: named by <see cref="ColumnNameAttribute"/> or the member name; arrays are vectors (sized by
    /// <see cref="VectorTypeAttribute"/>), unsigned integers with <see cref="KeyTypeAttribute"/> are keys (1-based, 0 =
    /// missing), strings are text. The sequence is enumerated again by every cursor.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is null.</exception>
    /// <exception cref="InvalidOperationException">A member's type cannot be a column; the message names the member.</exception>
    public IDataView LoadFromEnumerable<TRow>(IEnumerable<TRow> data) where TRow : class
    {
        ArgumentNullException.ThrowIfNull(data);
        return new EnumerableDataView<TRow>(data);
    }

    /// <summary>The rows of <paramref name="data"/> as <typeparamref name="TRow"/> objects, each writable member filled from
    /// the column of its name. Lazy: each enumeration makes one pass.</summary>
    /// <param name="data">The view to read.</param>
    /// <param name="reuseRowObject">True gives the same object for every row (faster; copy what you keep), false a new one per row.</param>
    /// <param name="ignoreMissingColumns">True skips members whose column is absent; false (default) throws.</param>
    /// <exception cref="ArgumentOutOfRangeException">A member's column is missing; the message names it.</exception>
    /// <exception cref="InvalidOperationException">A column's type cannot be written into its member; the message names both.</exception>
    public IEnumerable<TRow> CreateEnumerable<TRow>(IDataView data, bool reuseRowObject, bool ignoreMissingColumns = false)
        where TRow : class, new()
    {
        ArgumentNullException.ThrowIfNull(data);
        var writer = new ObjectWriter<TRow>(data.Schema, ignoreMissingColumns);
        return Enumerate(data, writer, reuseRowObject);
    }

    private static IEnumerable<TRow> Enumerate<TRow>(IDataView data, ObjectWriter<TRow> writer, bool reuseRowObject)
        where TRow : class, new()
    {
        using var cursor = data.GetRowCursor(writer.Columns);
        var write = writer.Bind(cursor);
        TRow? shared = reuseRowObject ? new TRow() : null;
        while (cursor.MoveNext())
        {
            var row = shared ?? new TRow();
            write(row);
            yield return row;
        }
    }

    /// <summary>Reads IDX image and label files (plain or gzip-compressed, as MNIST is distributed) into a view with
    /// <c>Label</c> (<see cref="NumberDataViewType.Single"/>, the digit, ML.NET's convention for numeric labels) and
    /// <c>Features</c> (<c>Vector&lt;Single, 1, H, W&gt;</c>, pixels scaled to [0, 1]). Both files are read when this is
    /// called, so a bad file fails here; pixels are converted as rows are read. The view can shuffle. Images of another
    /// size are refused rather than silently resized; load them with <paramref name="allowAnyImageSize"/> and resize them
    /// with an image transform, or use an architecture whose input shape matches.</summary>
    /// <param name="imagesPath">The IDX image file (type 0x08, rank 3).</param>
    /// <param name="labelsPath">The IDX label file (type 0x08, rank 1).</param>
    /// <param name="classCount">Every label must be below this; default 10 (digits). At least 1.</param>
    /// <param name="allowAnyImageSize">False (default) refuses images other than 28 × 28; true loads any size.</param>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    /// <exception cref="DataFormatException">A file is not an IDX file of bytes, the two counts differ, the images are not
    /// 28 × 28 (unless allowed) or a label is not below <paramref name="classCount"/>; the message names the file and the
    /// sizes or the row.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classCount"/> is not between 1 and 256.</exception>
    public IDataView LoadFromIdx(string imagesPath, string labelsPath, int classCount = 10, bool allowAnyImageSize = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(imagesPath);
        ArgumentException.ThrowIfNullOrWhiteSpace(labelsPath);
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(classCount, 256);
        return IdxDataView.Load(imagesPath, labelsPath, classCount, allowAnyImageSize);
    }

    /// <summary>Lists the images of a folder laid out as one sub-folder per label (<c>root/0/*.png</c>, <c>root/1/*.png</c>,
    /// ...) as a view with <c>Label</c> (the folder name: <see cref="NumberDataViewType.Single"/> when every folder name is a
    /// whole number, as the digits are, otherwise text) and <c>ImagePath</c> (text, the full path). Files ending .png, .pgm
    /// or .bmp (any case) count, including those in nested folders; other files are ignored. The folders are listed when
    /// this is called; the images are read by <see cref="TransformsCatalog.LoadImages"/>. The view can shuffle.</summary>
    /// <param name="root">The folder holding one sub-folder per label.</param>
    /// <exception cref="ArgumentException"><paramref name="root"/> is null, empty or white space.</exception>
    /// <exception cref="DirectoryNotFoundException"><paramref name="root"/> does not exist.</exception>
    /// <exception cref="DataFormatException"><paramref name="root"/> has no sub-folder holding an image file.</exception>
    public IDataView LoadFromImageFolder(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        return ImageFolderDataView.Load(root);
    }

    /// <summary>Splits <paramref name="data"/> into training and test rows. Each row goes to the test set with probability
    /// <paramref name="testFraction"/>, decided from the seed and its position, so the split is repeatable and both sets
    /// stream in the source's order; their sizes are close to, not exactly, the fraction (as in ML.NET).</summary>
    /// <param name="data">The rows.</param>
    /// <param name="testFraction">Expected fraction of test rows, in (0, 1); default 0.1.</param>
    /// <param name="seed">Seeds the split; null (default) takes the next number of the context's random sequence.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="testFraction"/> is not in (0, 1).</exception>
    public TrainTestData TrainTestSplit(IDataView data, double testFraction = 0.1, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!(testFraction > 0 && testFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "The test fraction must be between 0 and 1, exclusive.");
        int s = seed ?? context.NextRandom();
        return new TrainTestData(
            new RowFilterDataView(data, p => RowHash.Uniform(s, p) >= testFraction),
            new RowFilterDataView(data, p => RowHash.Uniform(s, p) < testFraction));
    }

    /// <summary>The rows in a random order, streaming through a pool (ML.NET's shuffle): each step serves a random row of
    /// a pool of <paramref name="shufflePoolSize"/> rows and refills its place from the source. Every pass of a cursor
    /// asked without a <see cref="Random"/> gives the same order.</summary>
    /// <param name="input">The rows.</param>
    /// <param name="seed">Seeds the order; null (default) takes the next number of the context's random sequence.</param>
    /// <param name="shufflePoolSize">Rows held at once; default 1000. At least the row count gives a uniform permutation.</param>
    /// <param name="shuffleSource">Also ask a source that can shuffle for a random order; default false, as in ML.NET.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="shufflePoolSize"/> is less than 1.</exception>
    public IDataView ShuffleRows(IDataView input, int? seed = null, int shufflePoolSize = 1000, bool shuffleSource = false)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentOutOfRangeException.ThrowIfLessThan(shufflePoolSize, 1);
        return new ShuffleDataView(input, seed ?? context.NextRandom(), shufflePoolSize, shuffleSource);
    }

    /// <summary>A view that reads <paramref name="input"/> once, on its first cursor, keeps every column in memory and serves
    /// later passes (shuffled or not) from memory. Use it before several passes over an expensive view.</summary>
    public IDataView Cache(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new CachedDataView(input);
    }

    /// <summary>The first <paramref name="count"/> rows (all of them when there are fewer).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public IDataView TakeRows(IDataView input, long count)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return new SkipTakeDataView(input, 0, count);
    }

    /// <summary>The rows after the first <paramref name="count"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public IDataView SkipRows(IDataView input, long count)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return new SkipTakeDataView(input, count, long.MaxValue);
    }
}
