// DataOperationsTests.cs — LoadFromIdx, TrainTestSplit, TakeRows/SkipRows, ShuffleRows and Cache.
using System.IO.Compression;
using DigitsML.Data;
using DigitsML.Testing;

namespace DigitsML.Tests.Pipeline;

public sealed class DataOperationsTests
{
    private static readonly MLContext ml = new(seed: 7);

    private static float[] Labels(IDataView view) =>
        [.. ml.Data.CreateEnumerable<LabelOnly>(view, reuseRowObject: true).Select(r => r.Label)];

    public sealed class LabelOnly
    {
        public float Label;
    }

    private static IDataView Numbers(int count) =>
        ml.Data.LoadFromEnumerable(Enumerable.Range(0, count).Select(i => new LabelOnly { Label = i }).ToList());

    [Test]
    public void LoadFromIdx_Mnist_GivesLabelAndScaledFeatures()
    {
        var view = PipelineData.MnistTest;
        Assert.That(view.Schema["Label"].Type, Is.EqualTo(NumberDataViewType.Single));
        Assert.That(view.Schema["Features"].Type.ToString(), Is.EqualTo("Vector<Single, 1, 28, 28>"));
        Assert.That(view.GetRowCount(), Is.EqualTo(10_000));
        var first = ml.Data.CreateEnumerable<DigitInput>(ml.Data.TakeRows(view, 3), false).ToList();
        var engine = TestData.MnistTest;
        for (int i = 0; i < 3; i++)
        {
            Assert.That(first[i].Label, Is.EqualTo(engine.Labels[i]));
            Assert.That(first[i].Features, Is.EqualTo(engine.Pixels.AsSpan(i * 784, 784).ToArray()));
        }
        Assert.That(first.SelectMany(f => f.Features).Max(), Is.EqualTo(1f));
    }

    [Test]
    public void LoadFromIdx_Gzip_SameRowsAsPlain()
    {
        using var dir = new TemporaryDirectory();
        string images = Path.Combine(dir.Path, "i.gz"), labels = Path.Combine(dir.Path, "l.gz");
        foreach (var (from, to) in new[] { (TestData.TestImages, images), (TestData.TestLabels, labels) })
        {
            using var output = new GZipStream(File.Create(to), CompressionLevel.Fastest);
            File.OpenRead(from).CopyTo(output);
        }
        var plain = PipelineData.ReadAll(ml.Data.TakeRows(PipelineData.MnistTest, 5));
        var gz = PipelineData.ReadAll(ml.Data.TakeRows(ml.Data.LoadFromIdx(images, labels), 5));
        Assert.That(gz, Is.EqualTo(plain));
    }

    [Test]
    public void LoadFromIdx_BadFiles_ThrowNamingFile()
    {
        Assert.Throws<FileNotFoundException>(() => ml.Data.LoadFromIdx("/nonexistent/images", TestData.TestLabels));
        var e = Assert.Throws<DataFormatException>(() => ml.Data.LoadFromIdx(TestData.TestImages, TestData.TrainLabels));
        Assert.That(e!.Message, Does.Contain("60,000").And.Contain("10,000"));
    }

    [Test]
    public void TakeSkip_Ranges_GiveThoseRowsInOrder()
    {
        var data = Numbers(10);
        Assert.That(Labels(ml.Data.TakeRows(data, 3)), Is.EqualTo(new float[] { 0, 1, 2 }));
        Assert.That(Labels(ml.Data.SkipRows(data, 7)), Is.EqualTo(new float[] { 7, 8, 9 }));
        Assert.That(Labels(ml.Data.TakeRows(ml.Data.SkipRows(data, 2), 2)), Is.EqualTo(new float[] { 2, 3 }));
        Assert.That(Labels(ml.Data.TakeRows(data, 50)), Has.Length.EqualTo(10));
        Assert.That(ml.Data.SkipRows(data, 20).GetRowCount(), Is.EqualTo(0));
        Assert.That(ml.Data.TakeRows(data, 4).GetRowCount(), Is.EqualTo(4));
    }

    [Test]
    public void TrainTestSplit_Seeded_DisjointCompleteRepeatableAndNearFraction()
    {
        var data = Numbers(2000);
        var split = ml.Data.TrainTestSplit(data, testFraction: 0.25, seed: 3);
        var train = Labels(split.TrainSet);
        var test = Labels(split.TestSet);

        Assert.That(train.Concat(test).Order(), Is.EqualTo(Enumerable.Range(0, 2000).Select(i => (float)i)));
        Assert.That(test.Length, Is.InRange(420, 580));
        Assert.That(train, Is.Ordered, "both sets stream in the source order");
        Assert.That(Labels(ml.Data.TrainTestSplit(data, 0.25, seed: 3).TestSet), Is.EqualTo(test));
        Assert.That(Labels(ml.Data.TrainTestSplit(data, 0.25, seed: 4).TestSet), Is.Not.EqualTo(test));
        Assert.Throws<ArgumentOutOfRangeException>(() => ml.Data.TrainTestSplit(data, 1.0));
    }

    [Test]
    public void ShuffleRows_PoolLargerThanData_PermutationRepeatablePerSeed()
    {
        var data = Numbers(500);
        var shuffled = ml.Data.ShuffleRows(data, seed: 5, shufflePoolSize: 1000);
        var order = Labels(shuffled);
        Assert.That(order.Order(), Is.EqualTo(Labels(data)));
        Assert.That(order, Is.Not.EqualTo(Labels(data)));
        Assert.That(Labels(shuffled), Is.EqualTo(order), "a second pass gives the same order");
        Assert.That(Labels(ml.Data.ShuffleRows(data, seed: 6, shufflePoolSize: 1000)), Is.Not.EqualTo(order));
    }

    [Test]
    public void ShuffleRows_SmallPool_KeepsEveryRowAndMovesRowsAtMostPoolAhead()
    {
        var order = Labels(ml.Data.ShuffleRows(Numbers(300), seed: 1, shufflePoolSize: 10));
        Assert.That(order.Order(), Is.EqualTo(Enumerable.Range(0, 300).Select(i => (float)i)));
        for (int i = 0; i < order.Length; i++)
            Assert.That(order[i], Is.LessThan(i + 10), "a row cannot be served before it entered the pool");
    }

    [Test]
    public void Cache_ReadsSourceOnceAndServesShuffledCursors()
    {
        int reads = 0;
        IEnumerable<LabelOnly> Source()
        {
            reads++;
            for (int i = 0; i < 50; i++)
                yield return new LabelOnly { Label = i };
        }
        var cached = ml.Data.Cache(ml.Data.LoadFromEnumerable(Source()));
        Assert.That(reads, Is.Zero, "caching is lazy");
        Assert.That(Labels(cached), Is.EqualTo(Enumerable.Range(0, 50).Select(i => (float)i)));
        Assert.That(Labels(cached), Has.Length.EqualTo(50));
        Assert.That(cached.CanShuffle, Is.True);
        Assert.That(cached.GetRowCount(), Is.EqualTo(50));

        using var cursor = cached.GetRowCursor(cached.Schema, new Random(1));
        var get = cursor.GetGetter<float>(cached.Schema["Label"]);
        var seen = new List<float>();
        while (cursor.MoveNext())
        {
            float v = 0;
            get(ref v);
            seen.Add(v);
        }
        Assert.That(seen.Order(), Is.EqualTo(Enumerable.Range(0, 50).Select(i => (float)i)));
        Assert.That(seen, Is.Not.Ordered);
        Assert.That(reads, Is.EqualTo(1));
    }

    [Test]
    public void Cache_VectorColumns_ReadersCannotCorruptCache()
    {
        var cached = ml.Data.Cache(ml.Data.TakeRows(PipelineData.MnistTest, 2));
        var first = PipelineData.ReadAll(cached);
        using (var cursor = cached.GetRowCursor(cached.Schema))
        {
            var get = cursor.GetGetter<VBuffer<float>>(cached.Schema["Features"]);
            var buffer = new VBuffer<float>(784, new float[784]);
            while (cursor.MoveNext())
            {
                get(ref buffer);
                get(ref buffer);
            }
        }
        Assert.That(PipelineData.ReadAll(cached), Is.EqualTo(first));
    }
}
