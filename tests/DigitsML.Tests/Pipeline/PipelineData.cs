// PipelineData.cs — shared fixtures of the pipeline tests: MNIST views, user classes and a generic row reader.
using System.Reflection;
using DigitsML.Data;

namespace DigitsML.Tests.Pipeline;

/// <summary>The input class: the IDX view's columns.</summary>
public sealed class DigitInput
{
    public float Label;

    [VectorType(1, 28, 28)]
    public float[] Features = [];
}

/// <summary>The output class, after MapKeyToValue("PredictedLabel").</summary>
public sealed class DigitPrediction
{
    [ColumnName("PredictedLabel")]
    public float Digit;

    public float[] Score = [];
}

/// <summary>The same data as properties and a flat 784 vector, for the LoadFromEnumerable version of the program.</summary>
public sealed class DigitImage
{
    public float Label { get; set; }

    [VectorType(784)]
    public float[] Features { get; set; } = [];
}

internal static class PipelineData
{
    private static readonly Lazy<IDataView> train = new(() => new MLContext().Data.LoadFromIdx(TestData.TrainImages, TestData.TrainLabels));
    private static readonly Lazy<IDataView> test = new(() => new MLContext().Data.LoadFromIdx(TestData.TestImages, TestData.TestLabels));

    /// <summary>The 60,000 MNIST training images as a view (Label Single, Features Vector&lt;Single, 1, 28, 28&gt;).</summary>
    public static IDataView MnistTrain => train.Value;

    /// <summary>The 10,000 MNIST test images as a view.</summary>
    public static IDataView MnistTest => test.Value;

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

    /// <summary>Counts the rows by reading them (a streamed view may not know its count).</summary>
    public static int CountRows(IDataView view)
    {
        using var cursor = view.GetRowCursor([]);
        int n = 0;
        while (cursor.MoveNext())
            n++;
        return n;
    }

    /// <summary>Every row of every visible column, vectors as arrays and text as strings, for exact comparisons.</summary>
    public static List<Dictionary<string, object?>> ReadAll(IDataView view, params string[] columns)
    {
        var chosen = view.Schema.Where(c => !c.IsHidden && (columns.Length == 0 || columns.Contains(c.Name))).ToList();
        var rows = new List<Dictionary<string, object?>>();
        using var cursor = view.GetRowCursor(chosen);
        var readers = chosen.Select(c => (c.Name, Read: Reader(cursor, c))).ToList();
        while (cursor.MoveNext())
            rows.Add(readers.ToDictionary(r => r.Name, r => r.Read()));
        return rows;
    }

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
                _ => value,
            };
        };
    }
}
