// EnumerableMappingTests.cs — LoadFromEnumerable and CreateEnumerable map fields and properties through attributes.
using DigitsML.Data;

namespace DigitsML.Tests.Pipeline;

public sealed class EnumerableMappingTests
{
    public sealed class Mixed
    {
        [ColumnName("Digit")]
        public float Value;

        [KeyType(10)]
        public uint Class { get; set; }

        [VectorType(2, 3)]
        public float[] Pixels = [];

        public byte[] Raw { get; set; } = [];

        public string Name { get; set; } = "";

        public bool Flag;

        public double Weight { get; set; }

        [NoColumn]
        public int Ignored { get; set; }

        [LoadColumn(4)]
        public long Count;
    }

    private static Mixed[] Rows() =>
    [
        new() { Value = 1.5f, Class = 3, Pixels = [1, 2, 3, 4, 5, 6], Raw = [7, 8], Name = "a", Flag = true, Weight = 0.25, Count = 10 },
        new() { Value = -2f, Class = 0, Pixels = [0, 0, 0, 0, 0, 1], Raw = [], Name = "bé", Flag = false, Weight = 1e300, Count = -1 },
    ];

    [Test]
    public void LoadFromEnumerable_Attributes_GiveTypedSchema()
    {
        var view = new MLContext().Data.LoadFromEnumerable(Rows());
        var types = view.Schema.ToDictionary(c => c.Name, c => c.Type.ToString());

        Assert.That(types, Is.EqualTo(new Dictionary<string, string?>
        {
            ["Digit"] = "Single",
            ["Pixels"] = "Vector<Single, 2, 3>",
            ["Flag"] = "Boolean",
            ["Count"] = "Int64",
            ["Class"] = "Key<UInt32, 0-9>",
            ["Raw"] = "Vector<Byte>",
            ["Name"] = "String",
            ["Weight"] = "Double",
        }));
        Assert.That(view.GetRowCount(), Is.EqualTo(2));
        Assert.That(view.CanShuffle, Is.False);
    }

    [Test]
    public void CreateEnumerable_RoundTrip_FieldsAndPropertiesEqual([Values] bool reuseRowObject)
    {
        var ml = new MLContext();
        var back = ml.Data.CreateEnumerable<Mixed>(ml.Data.LoadFromEnumerable(Rows()), reuseRowObject)
            .Select(r => (r.Value, r.Class, Pixels: r.Pixels.ToArray(), Raw: r.Raw.ToArray(), r.Name, r.Flag, r.Weight, r.Count, r.Ignored))
            .ToList();

        var expected = Rows().Select(r => (r.Value, r.Class, r.Pixels, r.Raw, r.Name, r.Flag, r.Weight, r.Count, Ignored: 0)).ToList();
        Assert.That(back, Has.Count.EqualTo(2));
        for (int i = 0; i < 2; i++)
        {
            Assert.That(back[i].Value, Is.EqualTo(expected[i].Value));
            Assert.That(back[i].Class, Is.EqualTo(expected[i].Class), "keys stay 1-based, 0 = missing");
            Assert.That(back[i].Pixels, Is.EqualTo(expected[i].Pixels));
            Assert.That(back[i].Raw, Is.EqualTo(expected[i].Raw));
            Assert.That(back[i].Name, Is.EqualTo(expected[i].Name));
            Assert.That(back[i].Flag, Is.EqualTo(expected[i].Flag));
            Assert.That(back[i].Weight, Is.EqualTo(expected[i].Weight));
            Assert.That(back[i].Count, Is.EqualTo(expected[i].Count));
        }
    }

    [Test]
    public void CreateEnumerable_ReuseRowObject_SameInstanceOtherwiseNew()
    {
        var ml = new MLContext();
        var view = ml.Data.LoadFromEnumerable(Rows());
        var reused = ml.Data.CreateEnumerable<Mixed>(view, reuseRowObject: true).ToList();
        var fresh = ml.Data.CreateEnumerable<Mixed>(view, reuseRowObject: false).ToList();
        Assert.That(reused[0], Is.SameAs(reused[1]));
        Assert.That(fresh[0], Is.Not.SameAs(fresh[1]));
    }

    [Test]
    public void LoadFromEnumerable_ObjectChangedAfterRead_RowsAlreadyReadUnchanged()
    {
        var ml = new MLContext();
        var rows = Rows();
        var view = ml.Data.LoadFromEnumerable(rows);
        using var cursor = view.GetRowCursor([view.Schema["Pixels"]]);
        var get = cursor.GetGetter<VBuffer<float>>(view.Schema["Pixels"]);
        cursor.MoveNext();
        VBuffer<float> first = default;
        get(ref first);
        rows[0].Pixels[0] = 99;
        Assert.That(first.GetItemOrDefault(0), Is.EqualTo(1f), "vectors are copied out of user objects");
    }

    public sealed class KeyOut
    {
        [KeyType(10)]
        public uint Label;
    }

    [Test]
    public void CreateEnumerable_KeyColumn_IsOneBasedWithZeroMissing()
    {
        var ml = new MLContext();
        var data = ml.Data.LoadFromEnumerable(new[] { new DigitInput { Label = 7 }, new DigitInput { Label = 2 }, new DigitInput { Label = float.NaN } });
        var keyed = ml.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: Transforms.KeyOrdinality.ByValue).Fit(data).Transform(data);
        var keys = ml.Data.CreateEnumerable<KeyOut>(keyed, reuseRowObject: false).Select(k => k.Label).ToList();
        Assert.That(keys, Is.EqualTo(new uint[] { 2, 1, 0 }), "sorted values 2, 7 get keys 1, 2; NaN is missing");
    }

    public sealed class WrongType
    {
        public int Label;
    }

    public sealed class MissingColumn
    {
        public float Nope;
    }

    public sealed class WrongSize
    {
        [VectorType(10)]
        public float[] Features = [];
    }

    [Test]
    public void CreateEnumerable_WrongColumnNameOrType_ThrowsNamingColumn()
    {
        var ml = new MLContext();
        var data = ml.Data.LoadFromEnumerable(new[] { new DigitInput { Label = 1, Features = new float[784] } });

        var missing = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Data.CreateEnumerable<MissingColumn>(data, false));
        Assert.That(missing!.Message, Does.Contain("'Nope'"));
        Assert.That(ml.Data.CreateEnumerable<MissingColumn>(data, false, ignoreMissingColumns: true).Count(), Is.EqualTo(1));

        var wrongType = Assert.Throws<InvalidOperationException>(() => ml.Data.CreateEnumerable<WrongType>(data, false));
        Assert.That(wrongType!.Message, Does.Contain("'Label'").And.Contain("Single"));

        var wrongSize = Assert.Throws<InvalidOperationException>(() => ml.Data.CreateEnumerable<WrongSize>(data, false));
        Assert.That(wrongSize!.Message, Does.Contain("'Features'").And.Contain("Vector<Single, 1, 28, 28>"));
    }

    public sealed class Unsupported
    {
        public DateTime When;
    }

    [Test]
    public void LoadFromEnumerable_UnsupportedMember_ThrowsNamingMember()
    {
        var e = Assert.Throws<InvalidOperationException>(() => new MLContext().Data.LoadFromEnumerable(new[] { new Unsupported() }));
        Assert.That(e!.Message, Does.Contain("Unsupported.When"));
    }

    [Test]
    public void Getter_ArrayOfWrongLength_ThrowsNamingMember()
    {
        var ml = new MLContext();
        var data = ml.Data.LoadFromEnumerable(new[] { new DigitInput { Label = 1, Features = new float[10] } });
        var e = Assert.Throws<InvalidOperationException>(() => ml.Data.CreateEnumerable<DigitInput>(data, false).ToList());
        Assert.That(e!.Message, Does.Contain("DigitInput.Features").And.Contain("784"));
    }
}
