// DataViewTypeTests.cs — column types print and compare as ML.NET's do; schemas look columns up and hide shadowed ones.
using DigitsML.Data;

namespace DigitsML.Tests.Pipeline;

public sealed class DataViewTypeTests
{
    [Test]
    public void ToString_KnownTypes_PrintAsMlNet()
    {
        Assert.That(new VectorDataViewType(NumberDataViewType.Single, 1, 28, 28).ToString(), Is.EqualTo("Vector<Single, 1, 28, 28>"));
        Assert.That(new VectorDataViewType(NumberDataViewType.Single, 784).ToString(), Is.EqualTo("Vector<Single, 784>"));
        Assert.That(new VectorDataViewType(NumberDataViewType.Byte).ToString(), Is.EqualTo("Vector<Byte>"));
        Assert.That(new KeyDataViewType(typeof(uint), 10).ToString(), Is.EqualTo("Key<UInt32, 0-9>"));
        Assert.That(NumberDataViewType.Single.ToString(), Is.EqualTo("Single"));
        Assert.That(TextDataViewType.Instance.ToString(), Is.EqualTo("String"));
    }

    [Test]
    public void VectorType_SizeAndRawType_FollowDimensions()
    {
        var image = new VectorDataViewType(NumberDataViewType.Single, 1, 28, 28);
        Assert.That(image.Size, Is.EqualTo(784));
        Assert.That(image.Dimensions, Is.EqualTo(new[] { 1, 28, 28 }));
        Assert.That(image.RawType, Is.EqualTo(typeof(VBuffer<float>)));
        Assert.That(image.IsKnownSize, Is.True);
        Assert.That(new VectorDataViewType(NumberDataViewType.Single).IsKnownSize, Is.False);
    }

    [Test]
    public void Equals_SameShape_EqualAndDifferentShape_NotEqual()
    {
        Assert.That(new VectorDataViewType(NumberDataViewType.Single, 1, 28, 28), Is.EqualTo(new VectorDataViewType(NumberDataViewType.Single, 1, 28, 28)));
        Assert.That(new VectorDataViewType(NumberDataViewType.Single, 784), Is.Not.EqualTo(new VectorDataViewType(NumberDataViewType.Single, 1, 28, 28)));
        Assert.That(new KeyDataViewType(typeof(uint), 10), Is.EqualTo(new KeyDataViewType(typeof(uint), 10)));
        Assert.That(new KeyDataViewType(typeof(uint), 10), Is.Not.EqualTo(new KeyDataViewType(typeof(uint), 9)));
    }

    [Test]
    public void KeyType_BadRawTypeOrCount_Throws()
    {
        Assert.Throws<ArgumentException>(() => new KeyDataViewType(typeof(int), 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => new KeyDataViewType(typeof(byte), 300));
        Assert.Throws<ArgumentOutOfRangeException>(() => new KeyDataViewType(typeof(uint), 0));
    }

    [Test]
    public void VBuffer_GetterReuse_KeepsOwnArrayAndCopies()
    {
        var values = new[] { 1f, 2f, 3f };
        var buffer = new VBuffer<float>(2, values);
        Assert.That(buffer.GetValues().ToArray(), Is.EqualTo(new[] { 1f, 2f }));
        Assert.That(buffer.Items().Select(p => p.Key), Is.EqualTo(new[] { 0, 1 }));
        var copy = default(VBuffer<float>);
        buffer.CopyTo(ref copy);
        values[0] = 9;
        Assert.That(copy.DenseValues(), Is.EqualTo(new[] { 1f, 2f }), "a copy does not share the source array");
        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.GetItemOrDefault(2));
    }

    [Test]
    public void Schema_SameNameAppended_HidesEarlierColumn()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(new[] { new DigitInput { Label = 3, Features = new float[784] } });
        var keyed = ml.Transforms.Conversion.MapValueToKey("Label").Fit(data).Transform(data);

        Assert.That(keyed.Schema.Count, Is.EqualTo(3));
        Assert.That(keyed.Schema[0].IsHidden, Is.True);
        Assert.That(keyed.Schema["Label"].Index, Is.EqualTo(2));
        Assert.That(keyed.Schema["Label"].Type.ToString(), Is.EqualTo("Key<UInt32, 0-0>"));
        Assert.That(keyed.Schema.GetColumnOrNull("Nope"), Is.Null);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => _ = keyed.Schema["Nope"]);
        Assert.That(e!.Message, Does.Contain("'Nope'"));
    }

    [Test]
    public void GetGetter_WrongTypeOrInactive_ThrowsNamingColumn()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(new[] { new DigitInput { Label = 3, Features = new float[784] } });
        using var cursor = data.GetRowCursor([data.Schema["Label"]]);
        var wrongType = Assert.Throws<InvalidOperationException>(() => cursor.GetGetter<double>(data.Schema["Label"]));
        Assert.That(wrongType!.Message, Does.Contain("'Label'").And.Contain("Single"));
        var inactive = Assert.Throws<InvalidOperationException>(() => cursor.GetGetter<VBuffer<float>>(data.Schema["Features"]));
        Assert.That(inactive!.Message, Does.Contain("'Features'"));
        Assert.That(cursor.Position, Is.EqualTo(-1));
        Assert.That(cursor.MoveNext(), Is.True);
        Assert.That(cursor.Position, Is.EqualTo(0));
        Assert.That(cursor.MoveNext(), Is.False);
    }

    [Test]
    public void Getter_BeforeMoveNextOrAfterEnd_ThrowsInvalidOperation()
    {
        var view = new MLContext().Data.TakeRows(PipelineData.MnistTest, 1);
        using var cursor = view.GetRowCursor(view.Schema);
        var get = cursor.GetGetter<float>(view.Schema["Label"]);
        float label = 0;
        Assert.Throws<InvalidOperationException>(() => get(ref label));
        Assert.That(cursor.MoveNext(), Is.True);
        get(ref label);
        Assert.That(label, Is.EqualTo(TestData.MnistTest.Labels[0]));
    }
}
