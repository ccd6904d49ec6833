// EstimatorConformance.cs — the checks every DigitsML estimator passes on the real ML.NET: its declared output shape
// matches what it makes, the transformer's schema is what Transform gives, ml.Model.Save/Load in a fresh MLContext scores
// bit-identically and leaves no temporary file, a prediction engine on one row gives what batch scoring gives; and, for
// trainers, ML.NET's own TrainTestSplit, Evaluate and CrossValidate work with them.
using System.Reflection;
using System.Runtime.InteropServices;

namespace DigitsML.Tests.Pipeline;

internal static class EstimatorConformance
{
    /// <summary>Fits <paramref name="estimator"/> on <paramref name="data"/> and checks that
    /// (1) the shape <c>GetOutputSchema(SchemaShape)</c> declared before fitting names exactly the transformed view's
    /// visible columns, each with the same vector kind, item type, key-ness and annotation kinds;
    /// (2) the transformer's <c>GetOutputSchema(DataViewSchema)</c> equals the transformed schema (types, annotation kinds,
    /// types and values);
    /// (3) every row can be read, one per input row;
    /// (4) a prediction engine (<typeparamref name="TIn"/> → <typeparamref name="TOut"/>) on each of the first
    /// <paramref name="engineRows"/> rows alone gives exactly the batch rows;
    /// (5) the model saved with <c>ml.Model.Save</c> and loaded in a fresh <see cref="MLContext"/> keeps the input schema,
    /// gives bit-identical rows and the same schema, and its engine agrees too; once disposed, it leaves nothing in the
    /// fresh context's temporary folder; a round trip through a stream gives the same rows.
    /// Returns the transformed rows (<see cref="PipelineData.ReadAll"/>) for further checks.</summary>
    /// <param name="estimator">The estimator or chain under test.</param>
    /// <param name="data">Its input.</param>
    /// <param name="engineRows">How many rows the prediction engines score one at a time.</param>
    /// <param name="prepareInput">Remakes an input row for the engine where a view does not keep its values alive: an
    /// <see cref="MLImage"/> read from <c>LoadImages</c> is disposed once its cursor moves on. Default: used as read.</param>
    public static List<Dictionary<string, object?>> Check<TIn, TOut>(IEstimator<ITransformer> estimator, IDataView data, int engineRows = 8,
        Func<TIn, TIn>? prepareInput = null)
        where TIn : class, new() where TOut : class, new()
    {
        var ml = new MLContext(seed: 1);
        var shape = estimator.GetOutputSchema(ShapeOf(data.Schema));
        var model = estimator.Fit(data);
        try
        {
            var transformed = model.Transform(data);
            AssertShapeMatches(shape, transformed.Schema);
            AssertSameSchema(model.GetOutputSchema(data.Schema), transformed.Schema, "the transformer's GetOutputSchema");
            var rows = PipelineData.ReadAll(transformed);
            Assert.That(rows, Has.Count.EqualTo(PipelineData.CountRows(data)), "one output row per input row");
            AssertEngineEqualsBatch<TIn, TOut>(ml, model, data, transformed, engineRows, prepareInput, "the fitted model");

            using var folder = new TemporaryDirectory();
            string path = Path.Combine(folder.Path, "model.zip");
            ml.Model.Save(model, data.Schema, path);
            string temporary = Directory.CreateDirectory(Path.Combine(folder.Path, "temp")).FullName;
            var fresh = new MLContext { TempFilePath = temporary };
            var loaded = fresh.Model.Load(path, out var savedSchema);
            try
            {
                AssertSameSchema(savedSchema, Savable(data.Schema), "the input schema saved in the model");
                var reloaded = loaded.Transform(data);
                AssertSameSchema(reloaded.Schema, transformed.Schema, "the loaded model's output schema");
                AssertBitIdentical(PipelineData.ReadAll(reloaded), rows, "a model loaded in a fresh MLContext");
                AssertEngineEqualsBatch<TIn, TOut>(fresh, loaded, data, transformed, engineRows, prepareInput, "the loaded model");
            }
            finally
            {
                (loaded as IDisposable)?.Dispose();
            }
            Assert.That(Directory.GetFileSystemEntries(temporary), Is.Empty, "the loaded model leaves no temporary file once disposed");

            using var stream = new MemoryStream();
            ml.Model.Save(model, data.Schema, stream);
            stream.Position = 0;
            var fromStream = new MLContext().Model.Load(stream, out _);
            try
            {
                AssertBitIdentical(PipelineData.ReadAll(fromStream.Transform(data)), rows, "a model loaded from a stream");
            }
            finally
            {
                (fromStream as IDisposable)?.Dispose();
            }
            return rows;
        }
        finally
        {
            (model as IDisposable)?.Dispose();
        }
    }

    /// <summary>The same rows, columns and values, floats compared bit for bit (NaN included). Done here rather than with
    /// NUnit's generic equality, which takes seconds over a few thousand rows of 784 features.</summary>
    public static void AssertBitIdentical(List<Dictionary<string, object?>> actual, List<Dictionary<string, object?>> expected, string what)
    {
        Assert.That(actual, Has.Count.EqualTo(expected.Count), $"{what}: rows");
        for (int row = 0; row < expected.Count; row++)
        {
            Assert.That(actual[row].Keys, Is.EquivalentTo(expected[row].Keys), $"{what}: columns of row {row}");
            foreach (var (column, value) in expected[row])
                if (!Same(actual[row][column], value))
                    Assert.Fail($"{what}: row {row}, column '{column}' differs: {Show(actual[row][column])} vs {Show(value)}");
        }
    }

    private static bool Same(object? a, object? b) => (a, b) switch
    {
        (float[] x, float[] y) => MemoryMarshal.AsBytes(x.AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(y.AsSpan())),
        (float x, float y) => BitConverter.SingleToInt32Bits(x) == BitConverter.SingleToInt32Bits(y),
        (Array x, Array y) => x.Length == y.Length && x.Cast<object?>().Zip(y.Cast<object?>()).All(p => Same(p.First, p.Second)),
        (ValueTuple<int, int, byte[]> x, ValueTuple<int, int, byte[]> y) => x.Item1 == y.Item1 && x.Item2 == y.Item2 && x.Item3.AsSpan().SequenceEqual(y.Item3),
        _ => Equals(a, b),
    };

    private static string Show(object? value) => value is Array array ? $"[{string.Join(", ", array.Cast<object?>().Take(12))}{(array.Length > 12 ? ", …" : "")}]" : $"{value}";

    /// <summary><paramref name="schema"/> without the columns ML.NET leaves out of a saved model's input schema: its binary
    /// format has no codec for image columns (an <c>MLImage</c> lives only while a cursor is on its row), so
    /// <c>ml.Model.Save</c> drops them from the schema it stores, and loading gives the rest.</summary>
    private static DataViewSchema Savable(DataViewSchema schema)
    {
        var builder = new DataViewSchema.Builder();
        foreach (var column in schema.Where(c => c.Type is not Microsoft.ML.Transforms.Image.ImageDataViewType))
            builder.AddColumn(column.Name, column.Type, column.Annotations);
        return builder.ToSchema();
    }

    /// <summary>For a pipeline ending in a DigitsML trainer, on raw MNIST-style rows (Single <c>Label</c>, mapped to a key
    /// by the pipeline): (1) <c>TrainTestSplit</c> splits the rows, a model fitted on the training part scores the test
    /// part, and ML.NET's <c>Evaluate</c> gives the figures computed here from the rows (accuracy, log-loss, every
    /// confusion cell), with <c>PredictedLabel</c> the arg-max of <c>Score</c>; (2) <c>CrossValidate</c> with 2 folds holds
    /// every row out once and each fold's model is its own. Each model's accuracy must reach
    /// <paramref name="minimumAccuracy"/>, so the comparison is between models that learned.</summary>
    public static void CheckWithMLNetEvaluation(IEstimator<ITransformer> pipeline, IDataView data, double minimumAccuracy)
    {
        var ml = new MLContext(seed: 1);
        int total = PipelineData.CountRows(data);
        var split = ml.Data.TrainTestSplit(data, testFraction: 0.25, seed: 2);
        int trainRows = PipelineData.CountRows(split.TrainSet), testRows = PipelineData.CountRows(split.TestSet);
        Assert.That(trainRows + testRows, Is.EqualTo(total), "TrainTestSplit keeps every row once");
        Assert.That(testRows, Is.InRange(total / 8, total * 3 / 8), "the test part is near a quarter");
        var model = pipeline.Fit(split.TrainSet);
        try
        {
            var scored = model.Transform(split.TestSet);
            var metrics = ml.MulticlassClassification.Evaluate(scored, topKPredictionCount: 3);
            AssertMetricsOf(scored, metrics, testRows, "TrainTestSplit");
            Assert.That(metrics.MicroAccuracy, Is.GreaterThanOrEqualTo(minimumAccuracy), "the model fitted on the training part learned");
        }
        finally
        {
            (model as IDisposable)?.Dispose();
        }

        var folds = ml.MulticlassClassification.CrossValidate(data, pipeline, numberOfFolds: 2, seed: 3);
        try
        {
            Assert.That(folds.Select(f => f.Fold), Is.EqualTo(new[] { 0, 1 }));
            var held = folds.Select(f => PipelineData.CountRows(f.ScoredHoldOutSet)).ToList();
            Assert.That(held.Sum(), Is.EqualTo(total), "every row is held out exactly once");
            foreach (var fold in folds)
            {
                AssertMetricsOf(fold.ScoredHoldOutSet, fold.Metrics, held[fold.Fold], $"fold {fold.Fold}");
                Assert.That(fold.Metrics.MicroAccuracy, Is.GreaterThanOrEqualTo(minimumAccuracy), $"fold {fold.Fold} learned");
            }
            Assert.That(folds[0].Model, Is.Not.SameAs(folds[1].Model));
        }
        finally
        {
            foreach (var fold in folds)
                (fold.Model as IDisposable)?.Dispose();
        }
    }

    /// <summary>ML.NET's metrics of <paramref name="scored"/> against the same figures computed here from its rows.</summary>
    private static void AssertMetricsOf(IDataView scored, MulticlassClassificationMetrics metrics, int rows, string what)
    {
        var read = PipelineData.ReadAll(scored, "Label", "Score");
        var truth = read.Select(r => (int)(uint)r["Label"]! - 1).ToArray();
        var scores = read.Select(r => (float[])r["Score"]!).ToArray();
        var predicted = scores.Select(ArgMax).ToArray();
        int classes = scores[0].Length;
        Assert.That(read, Has.Count.EqualTo(rows), what);
        Assert.That(metrics.ConfusionMatrix.NumberOfClasses, Is.EqualTo(classes), what);
        Assert.That(metrics.MicroAccuracy, Is.EqualTo(truth.Zip(predicted).Count(p => p.First == p.Second) / (double)rows).Within(1e-12), what);
        double logLoss = truth.Select((t, i) => -Math.Log(Math.Max(scores[i][t], 1e-15))).Average();
        Assert.That(metrics.LogLoss, Is.EqualTo(logLoss).Within(1e-9), what);
        // CrossValidate evaluates without top-K (its count is 0 there); Evaluate was asked for the top 3.
        if (metrics.TopKPredictionCount > 0)
        {
            int k = metrics.TopKPredictionCount;
            double topK = truth.Select((t, i) => scores[i].Count(s => s > scores[i][t]) < k ? 1.0 : 0.0).Average();
            Assert.That(metrics.TopKAccuracy, Is.EqualTo(topK).Within(1e-12), $"{what}: top-{k} accuracy");
        }
        for (int actual = 0; actual < classes; actual++)
            for (int guess = 0; guess < classes; guess++)
                Assert.That(metrics.ConfusionMatrix.GetCountForClassPair(guess, actual),
                    Is.EqualTo(truth.Zip(predicted).Count(p => p.First == actual && p.Second == guess)), $"{what}: confusion cell ({actual}, {guess})");

        // PredictedLabel (a key, or the label's value after MapKeyToValue) is the arg-max of Score, as the evaluator reads it.
        var column = scored.Schema["PredictedLabel"];
        var labels = PipelineData.Column<object>(scored, "PredictedLabel");
        var expected = column.Type is KeyDataViewType
            ? predicted.Select(p => (object)(uint)(p + 1))
            : predicted.Select(p => (object)(float)p);
        Assert.That(labels, Is.EqualTo(expected), $"{what}: PredictedLabel is the arg-max of Score");
    }

    private static int ArgMax(float[] values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
            if (values[i] > values[best])
                best = i;
        return best;
    }

    /// <summary>A prediction engine over <paramref name="model"/> (not owning it) on each of the first rows of
    /// <paramref name="data"/>, one at a time, gives exactly the rows of <paramref name="batch"/>.</summary>
    private static void AssertEngineEqualsBatch<TIn, TOut>(MLContext ml, ITransformer model, IDataView data, IDataView batch, int count,
        Func<TIn, TIn>? prepareInput, string what)
        where TIn : class, new() where TOut : class, new()
    {
        var inputs = ml.Data.CreateEnumerable<TIn>(ml.Data.TakeRows(data, count), reuseRowObject: false).Select(prepareInput ?? (x => x)).ToList();
        var expected = ml.Data.CreateEnumerable<TOut>(ml.Data.TakeRows(batch, count), reuseRowObject: false).ToList();
        Assert.That(inputs, Has.Count.EqualTo(Math.Min(count, PipelineData.CountRows(data))));
        using var engine = ml.Model.CreatePredictionEngine<TIn, TOut>(model, new PredictionEngineOptions { OwnsTransformer = false });
        for (int i = 0; i < inputs.Count; i++)
        {
            var single = engine.Predict(inputs[i]);
            foreach (var (name, read) in Members(typeof(TOut)))
                Assert.That(read(single), Is.EqualTo(read(expected[i])), $"{what}: the engine's {name} of row {i} equals batch scoring");
        }
    }

    private static IEnumerable<(string Name, Func<object, object?> Read)> Members(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => (p.Name, (Func<object, object?>)p.GetValue))
            .Concat(type.GetFields(BindingFlags.Public | BindingFlags.Instance).Select(f => (f.Name, (Func<object, object?>)f.GetValue)));

    /// <summary>Same visible columns in order, with equal types and equal annotations (kinds, types and values).</summary>
    public static void AssertSameSchema(DataViewSchema actual, DataViewSchema expected, string what)
    {
        var a = actual.Where(c => !c.IsHidden).ToList();
        var e = expected.Where(c => !c.IsHidden).ToList();
        Assert.That(a.Select(c => c.Name).ToList(), Is.EqualTo(e.Select(c => c.Name).ToList()), $"{what}: columns");
        for (int i = 0; i < a.Count; i++)
        {
            Assert.That(a[i].Type, Is.EqualTo(e[i].Type), $"{what}: type of '{a[i].Name}'");
            Assert.That(Annotations(a[i]), Is.EqualTo(Annotations(e[i])), $"{what}: annotations of '{a[i].Name}'");
        }
    }

    /// <summary>Each annotation as "kind: type = values".</summary>
    private static List<string> Annotations(DataViewSchema.Column column) =>
        [.. column.Annotations.Schema.Select(kind => $"{kind.Name}: {kind.Type} = {AnnotationText(column.Annotations, kind)}")];

    private static string AnnotationText(DataViewSchema.Annotations annotations, DataViewSchema.Column kind)
    {
        bool vector = kind.Type is VectorDataViewType;
        var item = kind.Type is VectorDataViewType v ? v.ItemType.RawType : kind.Type.RawType;
        var method = typeof(EstimatorConformance).GetMethod(vector ? nameof(VectorText) : nameof(ScalarText), BindingFlags.NonPublic | BindingFlags.Static)!;
        return (string)method.MakeGenericMethod(item).Invoke(null, [annotations, kind.Name])!;
    }

    private static string VectorText<T>(DataViewSchema.Annotations annotations, string kind)
    {
        VBuffer<T> value = default;
        annotations.GetValue(kind, ref value);
        return string.Join("|", value.DenseValues());
    }

    private static string ScalarText<T>(DataViewSchema.Annotations annotations, string kind)
    {
        T value = default!;
        annotations.GetValue(kind, ref value);
        return $"{value}";
    }

    /// <summary>The shape of <paramref name="schema"/>, as an estimator receives it. ML.NET keeps <c>SchemaShape.Create</c>
    /// internal (its own estimator chains call it), so the tests reach it by reflection.</summary>
    public static SchemaShape ShapeOf(DataViewSchema schema) =>
        (SchemaShape)typeof(SchemaShape).GetMethod("Create", BindingFlags.NonPublic | BindingFlags.Static, [typeof(DataViewSchema)])!
            .Invoke(null, [schema])!;

    /// <summary>The shape names exactly the visible columns, each with the same vector kind, item type, key-ness and
    /// annotation kinds as the column made.</summary>
    private static void AssertShapeMatches(SchemaShape shape, DataViewSchema schema)
    {
        var visible = schema.Where(c => !c.IsHidden).ToList();
        Assert.That(shape.Select(c => c.Name).Order(StringComparer.Ordinal).ToList(), Is.EqualTo(visible.Select(c => c.Name).Order(StringComparer.Ordinal).ToList()),
            "the estimator's declared columns are the transformed view's");
        var made = ShapeOf(schema);
        foreach (var column in visible)
        {
            var declared = shape.Single(c => c.Name == column.Name);
            var actual = made.Single(c => c.Name == column.Name);
            Assert.That((declared.Kind, declared.ItemType, declared.IsKey), Is.EqualTo((actual.Kind, actual.ItemType, actual.IsKey)),
                $"'{column.Name}': declared vector kind, item type and key-ness");
            Assert.That(declared.Annotations.Select(a => a.Name).Order(StringComparer.Ordinal).ToList(),
                Is.EqualTo(actual.Annotations.Select(a => a.Name).Order(StringComparer.Ordinal).ToList()), $"annotation kinds of '{column.Name}'");
        }
    }
}
