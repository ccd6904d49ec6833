// CnnTrainingData.cs — reads a data view's label keys and feature vectors into the arrays the engine trains on.
using DigitsML.Engine;
using Microsoft.ML;
using Microsoft.ML.Data;
using DigitsML.Networks;

namespace DigitsML.Trainers;

/// <summary>One pass over a view: labels become class indices (key − 1) and features are copied row after row.</summary>
internal static class CnnTrainingData
{
    /// <exception cref="InvalidOperationException">A row has a missing key (0), a key past the class count, or a feature
    /// vector of the wrong length; the message names the row and column.</exception>
    /// <exception cref="DataValueException">A feature is NaN or infinite, or there are fewer than 2 rows.</exception>
    internal static DigitDataset Read(IDataView data, DataViewSchema.Column label, DataViewSchema.Column features, int classes,
        TensorShape shape, CancellationToken cancellationToken)
    {
        int elements = checked((int)shape.Elements);
        int capacity = (int)Math.Min(data.GetRowCount() ?? 1024, int.MaxValue / Math.Max(1, elements));
        var pixels = new List<float>(capacity * elements);
        var labels = new List<int>(capacity);
        using (var cursor = data.GetRowCursor([label, features]))
        {
            var readKey = KeyReader(cursor, label);
            var readFeatures = cursor.GetGetter<VBuffer<float>>(features);
            VBuffer<float> buffer = default;
            while (cursor.MoveNext())
            {
                if ((cursor.Position & 1023) == 0)
                    cancellationToken.ThrowIfCancellationRequested();
                ulong key = readKey();
                if (key == 0 || key > (ulong)classes)
                    throw new InvalidOperationException(key == 0
                        ? $"Row {cursor.Position} of label column '{label.Name}' has a missing key (0); filter out unlabelled rows before training."
                        : $"Row {cursor.Position} of label column '{label.Name}' has key {key}, past its {classes} classes.");
                readFeatures(ref buffer);
                if (buffer.Length != elements)
                    throw new InvalidOperationException(
                        $"Row {cursor.Position} of feature column '{features.Name}' has {buffer.Length} values; the network takes {elements} ({shape}).");
                RequireFinite(buffer.GetValues(), features.Name, cursor.Position);
                pixels.AddRange(buffer.GetValues());
                labels.Add((int)(key - 1));
            }
        }
        if (labels.Count < 2)
            throw new DataValueException(features.Name, null, $"Training needs at least 2 rows; the data has {labels.Count}.");
        return new DigitDataset([.. pixels], [.. labels], shape);
    }

    /// <summary>Reads a key column of any of ML.NET's key raw types as a number (0 = missing).</summary>
    internal static Func<ulong> KeyReader(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        switch (column.Type.RawType)
        {
            case var t when t == typeof(uint):
                var u32 = cursor.GetGetter<uint>(column);
                return () => { uint v = 0; u32(ref v); return v; };
            case var t when t == typeof(byte):
                var u8 = cursor.GetGetter<byte>(column);
                return () => { byte v = 0; u8(ref v); return v; };
            case var t when t == typeof(ushort):
                var u16 = cursor.GetGetter<ushort>(column);
                return () => { ushort v = 0; u16(ref v); return v; };
            default:
                var u64 = cursor.GetGetter<ulong>(column);
                return () => { ulong v = 0; u64(ref v); return v; };
        }
    }

    /// <summary>A NaN or infinite feature would turn every weight into NaN at the first step, silently.</summary>
    /// <exception cref="DataValueException">A value is not finite; the message names the column, row and slot.</exception>
    internal static void RequireFinite(ReadOnlySpan<float> values, string column, long row)
    {
        for (int i = 0; i < values.Length; i++)
            if (!float.IsFinite(values[i]))
                throw new DataValueException(column, row,
                    $"Row {row} of feature column '{column}' holds {values[i]} at slot {i}; features must be finite numbers.");
    }

    /// <summary>Splits off a random <paramref name="fraction"/> of the rows for validation (at least one row, and at
    /// least two left to train on).</summary>
    internal static (DigitDataset Train, DigitDataset? Validation) Split(DigitDataset data, double fraction, int seed)
    {
        if (fraction <= 0)
            return (data, null);
        int held = Math.Clamp((int)Math.Round(data.Count * fraction), 1, data.Count - 2);
        var order = Enumerable.Range(0, data.Count).ToArray();
        new Random(seed).Shuffle(order);
        return (Gather(data, order.AsSpan(held)), Gather(data, order.AsSpan(0, held)));
    }

    private static DigitDataset Gather(DigitDataset data, ReadOnlySpan<int> rows)
    {
        int e = (int)data.Shape.Elements;
        var pixels = new float[rows.Length * e];
        var labels = new int[rows.Length];
        for (int i = 0; i < rows.Length; i++)
        {
            data.Pixels.AsSpan(rows[i] * e, e).CopyTo(pixels.AsSpan(i * e, e));
            labels[i] = data.Labels[rows[i]];
        }
        return new DigitDataset(pixels, labels, data.Shape);
    }
}
