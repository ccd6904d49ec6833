// PipelineData.cs — shared fixtures of the pipeline tests: MNIST as ML.NET views, row classes, and a generic row reader.
using System.Reflection;

namespace DigitsML.Tests.Pipeline;

/// <summary>The input as properties and a flat 784 vector, for the LoadFromEnumerable version of the program.</summary>
public sealed class DigitImage
{
    public float Label { get; set; }

    [VectorType(784)]
    public float[] Features { get; set; } = [];
}

/// <summary>A row after <c>MapValueToKey("Label")</c>: what a bare trainer reads.</summary>
public sealed class KeyedDigit
{
    [KeyType(10)]
    public uint Label { get; set; }

    [VectorType(1, 28, 28)]
    public float[] Features { get; set; } = [];
}

/// <summary>What a bare trainer adds: the key it predicts (1 to 10; 0 is ML.NET's missing key) and the probabilities.</summary>
public sealed class KeyedPrediction
{
    public uint PredictedLabel { get; set; }

    public float[] Score { get; set; } = [];
}

internal static class PipelineData
{
    private static readonly Lazy<IDataView> train = new(() => new MLContext().Data.LoadFromIdx(TestData.TrainImages, TestData.TrainLabels));
    private static readonly Lazy<IDataView> test = new(() => new MLContext().Data.LoadFromIdx(TestData.TestImages, TestData.TestLabels));

    /// <summary>The 60,000 MNIST training images as a view (Label Single, Features Vector&lt;Single, 1, 28, 28&gt;).</summary>
    public static IDataView MnistTrain => train.Value;

    /// <summary>The 10,000 MNIST test images as a view.</summary>
    public static IDataView MnistTest => test.Value;

    /// <summary>The first <paramref name="count"/> rows of <paramref name="view"/>, read once and cached (a cached view can
    /// also shuffle, which TrainTestSplit and CrossValidate do not need but trainers may).</summary>
    public static IDataView First(MLContext ml, IDataView view, int count) => ml.Data.Cache(ml.Data.TakeRows(view, count));

    /// <summary><paramref name="data"/> with its Single label mapped to a key ordered by value, as the program does.</summary>
    public static IDataView Keyed(MLContext ml, IDataView data) =>
        ml.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue).Fit(data).Transform(data);

    /// <summary>The first <paramref name="count"/> training images as DigitImage objects (flat features).</summary>
    public static List<DigitImage> TrainImages(int count)
    {
        var data = TestData.MnistTrain;
        return [.. Enumerable.Range(0, count).Select(i => new DigitImage
        {
            Label = data.Labels[i],
            Features = data.Pixels.AsSpan(i * 784, 784).ToArray(),
        })];
    }

    /// <summary>Counts the rows by reading them (a filtered view does not know its count).</summary>
    public static int CountRows(IDataView view)
    {
        using var cursor = view.GetRowCursor([]);
        int n = 0;
        while (cursor.MoveNext())
            n++;
        return n;
    }

    /// <summary>Every row of the visible <paramref name="columns"/> (all when none are named): vectors as arrays, text as
    /// strings, images as (width, height, pixel bytes), so rows compare exactly with NUnit's equality.</summary>
    public static List<Dictionary<string, object?>> ReadAll(IDataView view, params string[] columns)
    {
        var chosen = view.Schema.Where(c => !c.IsHidden && (columns.Length == 0 || columns.Contains(c.Name))).ToList();
        Assert.That(chosen.Select(c => c.Name), Is.SupersetOf(columns), "every column asked for is in the view");
        var rows = new List<Dictionary<string, object?>>();
        using var cursor = view.GetRowCursor(chosen);
        var readers = chosen.Select(c => (c.Name, Read: Reader(cursor, c))).ToList();
        while (cursor.MoveNext())
            rows.Add(readers.ToDictionary(r => r.Name, r => r.Read()));
        return rows;
    }

    /// <summary>The column <paramref name="name"/> of every row.</summary>
    public static List<T> Column<T>(IDataView view, string name) => [.. ReadAll(view, name).Select(r => (T)r[name]!)];

    private static Func<object?> Reader(DataViewRow row, DataViewSchema.Column column)
    {
        var (name, type) = column.Type is VectorDataViewType v ? (nameof(VectorReader), v.ItemType.RawType) : (nameof(TypedReader), column.Type.RawType);
        var method = typeof(PipelineData).GetMethod(name, BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(type);
        return (Func<object?>)method.Invoke(null, [row, column])!;
    }

    private static Func<object?> VectorReader<T>(DataViewRow row, DataViewSchema.Column column)
    {
        var get = row.GetGetter<VBuffer<T>>(column);
        return () =>
        {
            VBuffer<T> value = default;
            get(ref value);
            return value is VBuffer<ReadOnlyMemory<char>> t ? t.DenseValues().Select(x => x.ToString()).ToArray() : value.DenseValues().ToArray();
        };
    }

    private static Func<object?> TypedReader<T>(DataViewRow row, DataViewSchema.Column column)
    {
        var get = row.GetGetter<T>(column);
        return () =>
        {
            T value = default!;
            get(ref value);
            return value switch
            {
                ReadOnlyMemory<char> m => m.ToString(),
                MLImage image => (image.Width, image.Height, image.Pixels.ToArray()),
                _ => value,
            };
        };
    }
}
