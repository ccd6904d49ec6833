// MulticlassEvaluator.cs — computes MulticlassClassificationMetrics from labels and scores in one pass, as ML.NET does.
namespace DigitsML.Data;

/// <summary>Reads label and score (and checks the predicted-label column exists), accumulates ML.NET's counters and
/// builds the metrics.</summary>
internal static class MulticlassEvaluator
{
    /// <summary>ML.NET's floor on the probability of the true class, a float as in ML.NET.</summary>
    internal const float Epsilon = 1e-15f;

    /// <exception cref="ArgumentOutOfRangeException">A column is missing or of the wrong type; the message names it.</exception>
    internal static MulticlassClassificationMetrics Evaluate(IDataView data, string labelColumnName, string scoreColumnName,
        string predictedLabelColumnName, int topK)
    {
        var label = SchemaErrors.Find(data.Schema, "label", labelColumnName);
        if (label.Type is not KeyDataViewType && !label.Type.Equals(NumberDataViewType.Single) && !label.Type.Equals(NumberDataViewType.Double))
            throw SchemaErrors.Mismatch("label", labelColumnName, "Key, Single or Double", label.Type.ToString()!);
        var score = SchemaErrors.Find(data.Schema, "score", scoreColumnName);
        if (score.Type is not VectorDataViewType { IsKnownSize: true, ItemType: NumberDataViewType item } vector || !item.Equals(NumberDataViewType.Single))
            throw SchemaErrors.Mismatch("score", scoreColumnName, "a known-size Vector<Single>", score.Type.ToString()!);
        SchemaErrors.Find(data.Schema, "predicted label", predictedLabelColumnName);

        int k = vector.Size;
        string[] names = ClassNames(score, label, k);
        var counts = Enumerable.Range(0, k).Select(_ => new double[k]).ToArray();
        var classRows = new double[k];
        var classLogLoss = new double[k];
        var topKHits = new double[Math.Max(topK, 0)];
        double rows = 0, logLossSum = 0, correct = 0;

        using (var cursor = data.GetRowCursor([label, score]))
        {
            var readLabel = LabelReader(cursor, label);
            var readScore = cursor.GetGetter<VBuffer<float>>(score);
            VBuffer<float> buffer = default;
            while (cursor.MoveNext())
            {
                double truth = readLabel();
                if (double.IsNaN(truth) || truth < 0 || truth != Math.Floor(truth))
                    continue;
                readScore(ref buffer);
                var s = buffer.GetValues();
                if (s.Length != k || HasNonFinite(s))
                    continue;
                int actual = truth < int.MaxValue ? (int)truth : int.MaxValue;
                int predicted = ArgMax(s);
                double loss = -Math.Log(actual < k ? Math.Clamp(s[actual], Epsilon, 1f) : Epsilon);
                rows++;
                logLossSum += loss;
                if (actual >= k)
                    continue;
                classRows[actual]++;
                classLogLoss[actual] += loss;
                counts[actual][predicted]++;
                if (predicted == actual)
                    correct++;
                int rank = Rank(s, actual);
                for (int j = rank; j < topKHits.Length; j++)
                    topKHits[j]++;
            }
        }
        if (rows == 0)
            throw new DataValueException(labelColumnName, null,
                $"There is nothing to evaluate: no row has a valid label in '{labelColumnName}' and finite scores in '{scoreColumnName}' (the data is empty or every row was skipped).");

        double logLoss = rows > 0 ? logLossSum / rows : 0;
        double entropy = 0;
        for (int c = 0; c < k; c++)
            if (classRows[c] > 0)
                entropy -= classRows[c] / rows * Math.Log(classRows[c] / rows);
        var present = Enumerable.Range(0, k).Where(c => classRows[c] > 0).ToList();
        double macro = present.Count > 0 ? present.Average(c => counts[c][c] / classRows[c]) : 0;
        return new MulticlassClassificationMetrics(
            microAccuracy: rows > 0 ? correct / rows : 0,
            macroAccuracy: macro,
            logLoss: logLoss,
            logLossReduction: (entropy - logLoss) / entropy,
            topKPredictionCount: Math.Max(topK, 0),
            topKAccuracyForAllK: [.. topKHits.Select(h => rows > 0 ? h / rows : 0)],
            perClassLogLoss: [.. Enumerable.Range(0, k).Select(c => classRows[c] > 0 ? classLogLoss[c] / classRows[c] : 0)],
            confusionMatrix: new ConfusionMatrix(counts, names));
    }

    /// <summary>As ML.NET names classes: the score's slot names, else the label's key values, else "0", "1", ...</summary>
    private static string[] ClassNames(DataViewSchema.Column score, DataViewSchema.Column label, int k)
    {
        if (score.HasSlotNames())
        {
            VBuffer<ReadOnlyMemory<char>> names = default;
            score.GetSlotNames(ref names);
            return [.. names.DenseValues().Select(n => n.ToString())];
        }
        if (KeyValueSet.FromColumn(label) is { } keys && keys.Count == k)
            return [.. Enumerable.Range(0, k).Select(keys.Text)];
        return [.. Enumerable.Range(0, k).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))];
    }

    /// <summary>The label as a class index: key − 1 (NaN for the missing key 0), or the number itself.</summary>
    private static Func<double> LabelReader(DataViewRow row, DataViewSchema.Column label)
    {
        if (label.Type is KeyDataViewType)
        {
            var key = KeyValueSet.KeyReader(row, label);
            return () => key() is var k && k == 0 ? double.NaN : k - 1;
        }
        if (label.Type.RawType == typeof(float))
        {
            var get = row.GetGetter<float>(label);
            float v = 0;
            return () => { get(ref v); return v; };
        }
        var getDouble = row.GetGetter<double>(label);
        double d = 0;
        return () => { getDouble(ref d); return d; };
    }

    private static bool HasNonFinite(ReadOnlySpan<float> scores)
    {
        foreach (float s in scores)
            if (!float.IsFinite(s))
                return true;
        return false;
    }

    /// <summary>The first index of the largest score.</summary>
    internal static int ArgMax(ReadOnlySpan<float> scores)
    {
        int best = 0;
        for (int i = 1; i < scores.Length; i++)
            if (scores[i] > scores[best])
                best = i;
        return best;
    }

    /// <summary>The 0-based position of class <paramref name="c"/> when classes are sorted by score, descending and
    /// stable (ties keep index order), as ML.NET sorts them for top-K.</summary>
    private static int Rank(ReadOnlySpan<float> scores, int c)
    {
        int rank = 0;
        for (int j = 0; j < scores.Length; j++)
            if (scores[j] > scores[c] || (scores[j] == scores[c] && j < c))
                rank++;
        return rank;
    }
}
