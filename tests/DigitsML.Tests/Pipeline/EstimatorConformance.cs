// EstimatorConformance.cs — the checks every estimator passes: schema propagation, fit, transform, and identical
// output after a save/load round trip.
using DigitsML.Data;
using DigitsML.Testing;

namespace DigitsML.Tests.Pipeline;

internal static class EstimatorConformance
{
    /// <summary>Fits <paramref name="estimator"/> on <paramref name="data"/> and checks that (1) the estimator's output shape
    /// agrees with the transformed schema, (2) the transformer's GetOutputSchema equals the transformed schema, (3) every
    /// column of every row can be read, (4) a model saved and loaded (file and stream) gives exactly the same values and
    /// the same input schema. Returns the rows read, for further checks.</summary>
    public static List<Dictionary<string, object?>> Check<TTransformer>(MLContext ml, IEstimator<TTransformer> estimator, IDataView data)
        where TTransformer : ITransformer
    {
        var shape = estimator.GetOutputSchema(SchemaShape.Create(data.Schema));
        var model = estimator.Fit(data);
        try
        {
            var transformed = model.Transform(data);
            AssertSameSchema(model.GetOutputSchema(data.Schema), transformed.Schema);
            AssertShapeMatches(shape, transformed.Schema);
            var rows = PipelineData.ReadAll(transformed);
            Assert.That(rows, Is.Not.Empty);

            using var dir = new TemporaryDirectory();
            string path = Path.Combine(dir.Path, "model.zip");
            ml.Model.Save(model, data.Schema, path);
            var fromFile = ml.Model.Load(path, out var savedSchema);
            try
            {
                AssertSameSchema(savedSchema, data.Schema);
                Assert.That(PipelineData.ReadAll(fromFile.Transform(data)), Is.EqualTo(rows), "a model loaded from a file predicts exactly as saved");
            }
            finally
            {
                (fromFile as IDisposable)?.Dispose();
            }

            using var stream = new MemoryStream();
            ml.Model.Save(model, data.Schema, stream);
            stream.Position = 0;
            var fromStream = ml.Model.Load(stream, out _);
            try
            {
                Assert.That(PipelineData.ReadAll(fromStream.Transform(data)), Is.EqualTo(rows), "a model loaded from a stream predicts exactly as saved");
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

    /// <summary>Same visible columns in order, with equal types and equal annotation kinds, types and values.</summary>
    public static void AssertSameSchema(DataViewSchema actual, DataViewSchema expected)
    {
        var a = actual.Where(c => !c.IsHidden).ToList();
        var e = expected.Where(c => !c.IsHidden).ToList();
        Assert.That(a.Select(c => c.Name), Is.EqualTo(e.Select(c => c.Name)));
        for (int i = 0; i < a.Count; i++)
        {
            Assert.That(a[i].Type, Is.EqualTo(e[i].Type), $"type of '{a[i].Name}'");
            Assert.That(a[i].Annotations.Schema.Select(k => (k.Name, k.Type)), Is.EqualTo(e[i].Annotations.Schema.Select(k => (k.Name, k.Type))),
                $"annotations of '{a[i].Name}'");
            Assert.That(AnnotationText(a[i]), Is.EqualTo(AnnotationText(e[i])), $"annotation values of '{a[i].Name}'");
        }
    }

    private static List<string> AnnotationText(DataViewSchema.Column column)
    {
        var text = new List<string>();
        if (column.HasSlotNames())
        {
            VBuffer<ReadOnlyMemory<char>> names = default;
            column.GetSlotNames(ref names);
            text.Add("slots:" + string.Join("|", names.DenseValues()));
        }
        if (column.HasKeyValues(NumberDataViewType.Single))
        {
            VBuffer<float> values = default;
            column.GetKeyValues(ref values);
            text.Add("keys:" + string.Join("|", values.DenseValues()));
        }
        if (column.HasKeyValues(TextDataViewType.Instance))
        {
            VBuffer<ReadOnlyMemory<char>> values = default;
            column.GetKeyValues(ref values);
            text.Add("keys:" + string.Join("|", values.DenseValues()));
        }
        return text;
    }

    /// <summary>The shape names exactly the visible columns, each compatible in kind, item type and key-ness, with the same annotation kinds.</summary>
    private static void AssertShapeMatches(SchemaShape shape, DataViewSchema schema)
    {
        var visible = schema.Where(c => !c.IsHidden).ToList();
        Assert.That(shape.Select(c => c.Name).Order(), Is.EqualTo(visible.Select(c => c.Name).Order()), "estimator shape columns");
        foreach (var column in visible)
        {
            Assert.That(shape.TryFindColumn(column.Name, out var expected), Is.True);
            var actual = SchemaShape.Create(schema).Single(c => c.Name == column.Name);
            Assert.That(expected.IsCompatibleWith(actual), Is.True, $"'{column.Name}': shape {expected.GetTypeString()}, schema {actual.GetTypeString()}");
            Assert.That(expected.Annotations.Select(a => a.Name).Order(), Is.EqualTo(actual.Annotations.Select(a => a.Name).Order()),
                $"annotation kinds of '{column.Name}'");
        }
    }
}
