// KeyMappingTests.cs — MapValueToKey orders keys by occurrence or value and maps back; ScalePixels scales; all conform.
using DigitsML.Data;
using DigitsML.Transforms;

namespace DigitsML.Tests.Pipeline;

public sealed class KeyMappingTests
{
    public sealed class Labelled
    {
        public float Label;

        public string Name = "";

        [VectorType(4)]
        public byte[] Pixels = [];
    }

    private static readonly float[] labels = [5, 0, 4, 1, 9, 4, 0, float.NaN, 5];

    private static IDataView Data(MLContext ml) => ml.Data.LoadFromEnumerable(labels.Select((l, i) => new Labelled
    {
        Label = l,
        Name = float.IsNaN(l) ? "none" : $"n{l}",
        Pixels = [0, (byte)(i * 10), 128, 255],
    }).ToList());

    private static float[] KeyValues(IDataView view, string column)
    {
        VBuffer<float> values = default;
        view.Schema[column].GetKeyValues(ref values);
        return values.DenseValues().ToArray();
    }

    private static uint[] Keys(IDataView view, string column) =>
        [.. PipelineData.ReadAll(view, column).Select(r => (uint)r[column]!)];

    [Test]
    public void MapValueToKey_Default_OrdersByOccurrence()
    {
        var ml = new MLContext(seed: 1);
        var data = Data(ml);
        var keyed = ml.Transforms.Conversion.MapValueToKey("Label").Fit(data).Transform(data);
        Assert.That(KeyValues(keyed, "Label"), Is.EqualTo(new float[] { 5, 0, 4, 1, 9 }));
        Assert.That(Keys(keyed, "Label"), Is.EqualTo(new uint[] { 1, 2, 3, 4, 5, 3, 2, 0, 1 }));
        Assert.That(keyed.Schema["Label"].Type.ToString(), Is.EqualTo("Key<UInt32, 0-4>"));
    }

    [Test]
    public void MapValueToKey_ByValue_SortsValues()
    {
        var ml = new MLContext(seed: 1);
        var data = Data(ml);
        var keyed = ml.Transforms.Conversion.MapValueToKey("Key", "Label", keyOrdinality: KeyOrdinality.ByValue).Fit(data).Transform(data);
        Assert.That(KeyValues(keyed, "Key"), Is.EqualTo(new float[] { 0, 1, 4, 5, 9 }));
        Assert.That(Keys(keyed, "Key"), Is.EqualTo(new uint[] { 4, 1, 3, 2, 5, 3, 1, 0, 4 }));
        Assert.That(keyed.Schema["Label"].Type, Is.EqualTo(NumberDataViewType.Single), "the input column stays");
    }

    [Test]
    public void MapValueToKey_MaximumNumberOfKeys_KeepsFirstFoundAndUnseenGetZero()
    {
        var ml = new MLContext(seed: 1);
        var data = Data(ml);
        var keyed = ml.Transforms.Conversion.MapValueToKey("Label", maximumNumberOfKeys: 2).Fit(data).Transform(data);
        Assert.That(KeyValues(keyed, "Label"), Is.EqualTo(new float[] { 5, 0 }));
        Assert.That(Keys(keyed, "Label"), Is.EqualTo(new uint[] { 1, 2, 0, 0, 0, 0, 2, 0, 1 }));
    }

    [Test]
    public void MapKeyToValue_AfterMapValueToKey_RestoresValuesAndNaNForMissing()
    {
        var ml = new MLContext(seed: 1);
        var data = Data(ml);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Key", "Label")
            .Append(ml.Transforms.Conversion.MapKeyToValue("Back", "Key"));
        using var model = pipeline.Fit(data);
        var back = PipelineData.ReadAll(model.Transform(data), "Back").Select(r => (float)r["Back"]!).ToArray();
        Assert.That(back, Is.EqualTo(labels), "NaN went to key 0 and comes back as NaN");
    }

    [Test]
    public void MapValueToKey_TextColumn_UsesOrdinalOrderAndTextKeyValues()
    {
        var ml = new MLContext(seed: 1);
        var data = Data(ml);
        var keyed = ml.Transforms.Conversion.MapValueToKey("Name", keyOrdinality: KeyOrdinality.ByValue).Fit(data).Transform(data);
        VBuffer<ReadOnlyMemory<char>> values = default;
        keyed.Schema["Name"].GetKeyValues(ref values);
        Assert.That(values.DenseValues().Select(v => v.ToString()), Is.EqualTo(new[] { "n0", "n1", "n4", "n5", "n9", "none" }));
    }

    [Test]
    public void Conformance_KeyTransformsAndScalePixels_Pass()
    {
        var ml = new MLContext(seed: 1);
        var data = Data(ml);
        EstimatorConformance.Check(ml, ml.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: KeyOrdinality.ByValue), data);
        EstimatorConformance.Check(ml, ml.Transforms.Conversion.MapValueToKey("Name"), data);
        EstimatorConformance.Check(ml, ml.Transforms.Conversion.MapValueToKey("Key", "Label")
            .Append(ml.Transforms.Conversion.MapKeyToValue("Back", "Key")), data);
        var rows = EstimatorConformance.Check(ml, ml.Transforms.ScalePixels("Scaled", "Pixels"), data);
        Assert.That(rows[1]["Scaled"], Is.EqualTo(new[] { 0f, 10 / 255f, 128 / 255f, 1f }));
    }

    [Test]
    public void ScalePixels_OffsetAndScale_AppliesOffsetFirstAndKeepsDimensions()
    {
        var ml = new MLContext(seed: 1);
        var images = ml.Data.TakeRows(PipelineData.MnistTest, 1);
        var scaled = ml.Transforms.ScalePixels("Centred", "Features", scale: 2, offset: -0.5f).Fit(images).Transform(images);
        Assert.That(scaled.Schema["Centred"].Type.ToString(), Is.EqualTo("Vector<Single, 1, 28, 28>"));
        var row = PipelineData.ReadAll(scaled).Single();
        var x = (float[])row["Features"]!;
        Assert.That(row["Centred"], Is.EqualTo(x.Select(v => (v - 0.5f) * 2).ToArray()));
    }

    [Test]
    public void Transforms_WrongColumnNameOrType_ThrowNamingColumn()
    {
        var ml = new MLContext(seed: 1);
        var data = Data(ml);
        var missing = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.Conversion.MapValueToKey("Label", "Nope").Fit(data));
        Assert.That(missing!.Message, Does.Contain("'Nope'"));
        var notKey = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.Conversion.MapKeyToValue("Label").Fit(data));
        Assert.That(notKey!.Message, Does.Contain("'Label'").And.Contain("key"));
        var vector = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.Conversion.MapValueToKey("Pixels").GetOutputSchema(SchemaShape.Create(data.Schema)));
        Assert.That(vector!.Message, Does.Contain("'Pixels'"));
        var scalar = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.ScalePixels("X", "Label").Fit(data));
        Assert.That(scalar!.Message, Does.Contain("'Label'").And.Contain("vector"));

        var fitted = ml.Transforms.Conversion.MapValueToKey("Label").Fit(data);
        var other = ml.Data.LoadFromEnumerable(new[] { new EnumerableMappingTests.WrongType() });
        var wrong = Assert.Throws<ArgumentOutOfRangeException>(() => fitted.Transform(other));
        Assert.That(wrong!.Message, Does.Contain("'Label'").And.Contain("Single").And.Contain("Int32"));
    }

    [Test]
    public void EstimatorChain_BadLaterColumn_FailsBeforeFitting()
    {
        var ml = new MLContext(seed: 1);
        int reads = 0;
        var data = ml.Data.LoadFromEnumerable(labels.Select(l => { reads++; return new Labelled { Label = l }; }));
        var chain = ml.Transforms.Conversion.MapValueToKey("Label").Append(ml.Transforms.Conversion.MapKeyToValue("X", "Nope"));
        Assert.Throws<ArgumentOutOfRangeException>(() => chain.Fit(data));
        Assert.That(reads, Is.Zero, "the whole chain's schema is checked before any data is read");
    }
}
