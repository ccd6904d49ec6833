// FuzzTargets.cs — the readers the fuzzer feeds: IDX images and labels, pipeline model files, network files, safetensors.
// Image files (PNG, PGM, BMP) are fed from the Imaging tests' fixtures, every format variant PIL wrote.
using DigitsML.Data;
using DigitsML.Engine;
using DigitsML.IO;
using DigitsML.Tests.Pipeline;
using DigitsML.Transforms;

namespace DigitsML.Tests.Reliability;

internal static class FuzzTargets
{
    private const int SeedImages = 12;

    /// <summary>A small network with every kind of state (convolution, BatchNorm buffers, dropout, linear), so that
    /// loading it runs shape inference, state matching and native creation, yet each load takes well under a millisecond.</summary>
    internal static NetworkDefinition Tiny { get; } = new("Tiny",
    [
        new Conv2d(2, 5, Stride: 2), // (1, 28, 28) -> (2, 12, 12)
        new BatchNorm2d(),
        new ReLU(),
        new MaxPool2d(2),            // -> (2, 6, 6)
        new Dropout(0.25),
        new Flatten(),               // -> (72)
        new Linear(10),
    ], TensorShape.Mnist);

    /// <summary>The first MNIST images as an IDX image file and an IDX label file.</summary>
    internal static (byte[] Images, byte[] Labels) IdxSeeds()
    {
        var data = TestData.MnistTest.Take(SeedImages);
        var images = new byte[16 + data.Pixels.Length];
        images[2] = 0x08;
        images[3] = 3;
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(4), data.Count);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(8), 28);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(12), 28);
        for (int i = 0; i < data.Pixels.Length; i++)
            images[16 + i] = (byte)Math.Round(data.Pixels[i] * 255);
        var labels = new byte[8 + data.Count];
        labels[2] = 0x08;
        labels[3] = 1;
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(labels.AsSpan(4), data.Count);
        for (int i = 0; i < data.Count; i++)
            labels[8 + i] = (byte)data.Labels[i];
        return (images, labels);
    }

    /// <summary>Mutated image files read with a valid label file through <c>ml.Data.LoadFromIdx</c>; every row is then read.</summary>
    internal static FuzzTarget IdxImages(byte[] images, byte[] labels) => new("IDX image files", [images, Mutator.Gzip(images)],
        (m, b) => m.Idx(b), (bytes, scratch) =>
        {
            File.WriteAllBytes(scratch + ".images", bytes);
            File.WriteAllBytes(scratch + ".labels", labels);
            CheckIdxView(new MLContext().Data.LoadFromIdx(scratch + ".images", scratch + ".labels"));
        });

    /// <summary>Mutated label files read with a valid image file.</summary>
    internal static FuzzTarget IdxLabels(byte[] images, byte[] labels) => new("IDX label files", [labels, Mutator.Gzip(labels)],
        (m, b) => m.Idx(b), (bytes, scratch) =>
        {
            File.WriteAllBytes(scratch + ".images", images);
            File.WriteAllBytes(scratch + ".labels", bytes);
            CheckIdxView(new MLContext().Data.LoadFromIdx(scratch + ".images", scratch + ".labels"));
        });

    /// <summary>A parsed view must have MNIST's schema, digit labels and pixels in [0, 1].</summary>
    private static void CheckIdxView(IDataView view)
    {
        var features = view.Schema["Features"];
        if (features.Type is not VectorDataViewType { Size: 784 })
            throw new AssertionException($"accepted features of type {features.Type}");
        using var cursor = view.GetRowCursor(view.Schema);
        var label = cursor.GetGetter<float>(view.Schema["Label"]);
        var pixels = cursor.GetGetter<VBuffer<float>>(features);
        float l = 0;
        VBuffer<float> buffer = default;
        while (cursor.MoveNext())
        {
            label(ref l);
            pixels(ref buffer);
            if (l is < 0 or > 9 || buffer.Length != 784 || buffer.DenseValues().Any(p => p is < 0 or > 1))
                throw new AssertionException($"accepted row {cursor.Position} with label {l} and {buffer.Length} pixels out of range");
        }
    }

    /// <summary>A saved pipeline (MapValueToKey → Cnn(Tiny) → MapKeyToValue) trained for one epoch on a few images.</summary>
    internal static byte[] ModelSeed()
    {
        var ml = new MLContext(seed: 3);
        var data = ml.Data.TakeRows(PipelineData.MnistTrain, 64);
        using var model = ml.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: KeyOrdinality.ByValue)
            .Append(ml.MulticlassClassification.Trainers.Cnn(new Trainers.CnnTrainer.Options { Architecture = Tiny, Epochs = 1, BatchSize = 32 }))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"))
            .Fit(data);
        using var stream = new MemoryStream();
        ml.Model.Save(model, data.Schema, stream);
        return stream.ToArray();
    }

    /// <summary>Mutated pipeline model files loaded from a stream; an accepted model must predict a digit.</summary>
    internal static FuzzTarget ModelFiles(byte[] model) => new("pipeline model files", [model], (m, b) => m.ModelFile(b), (bytes, _) =>
    {
        var ml = new MLContext();
        var loaded = ml.Model.Load(new MemoryStream(bytes), out var schema);
        try
        {
            // Loading checked that the model accepts its stored schema; it must keep doing so.
            var outputSchema = loaded.GetOutputSchema(schema);
            // A mutant may be a valid model of another shape (a transformer dropped, columns renamed): only a model that
            // still takes DigitInput's columns is run, and its output is read column by column.
            if (!(schema.GetColumnOrNull("Label")?.Type is NumberDataViewType label && label.Equals(NumberDataViewType.Single)
                  && schema.GetColumnOrNull("Features")?.Type is VectorDataViewType { Size: 784 } && schema.Count == 2))
                return;
            var output = loaded.Transform(ml.Data.LoadFromEnumerable([new DigitInput { Features = new float[784] }]));
            using var cursor = output.GetRowCursor(output.Schema);
            int rows = 0;
            while (cursor.MoveNext())
                rows++;
            if (rows != 1 || outputSchema.GetColumnOrNull("Score") is null)
                throw new AssertionException($"an accepted model gave {rows} rows and columns {string.Join(", ", output.Schema.Select(c => c.Name))}");
        }
        finally
        {
            (loaded as IDisposable)?.Dispose();
        }
    });

    /// <summary>A network file (NetworkFile.Save) of the tiny network.</summary>
    internal static byte[] NetworkSeed(string directory)
    {
        using var network = Network.Create(Tiny, seed: 4);
        string path = Path.Combine(directory, "seed-network.zip");
        NetworkFile.Save(network, path);
        return File.ReadAllBytes(path);
    }

    /// <summary>Mutated network files loaded from a path; an accepted network must run a forward pass.</summary>
    internal static FuzzTarget NetworkFiles(byte[] file) => new("network files", [file], (m, b) => m.ModelFile(b), (bytes, scratch) =>
    {
        File.WriteAllBytes(scratch + ".zip", bytes);
        using var network = NetworkFile.Load(scratch + ".zip");
        float[] p = network.Forward(new float[network.InputElements], 1);
        if (p.Length != network.Classes)
            throw new AssertionException("an accepted network gave the wrong number of outputs");
    });

    /// <summary>Mutated safetensors read directly (the weights entry of a model file, no hash in front of it).</summary>
    internal static FuzzTarget SafetensorsFiles(byte[] model)
    {
        byte[] weights = Mutator.Unzip(model).First(kv => kv.Key.EndsWith(NetworkSerializer.WeightsEntry, StringComparison.Ordinal)).Value;
        return new("safetensors", [weights], (m, b) => m.Random.Next(2) == 0 ? m.SafetensorsHeader(b) : m.Bytes(b), (bytes, _) =>
        {
            foreach (var t in Safetensors.Read(bytes, "weights"))
                if (t.Data.Length != t.Elements)
                    throw new AssertionException($"tensor {t.Name} holds {t.Data.Length} values for shape {t.ShapeText}");
        });
    }

    /// <summary>Every PNG, PGM and BMP fixture as a seed; each accepted mutant must decode to a consistent grey image.</summary>
    internal static FuzzTarget ImageFiles()
    {
        string folder = Path.Combine(AppContext.BaseDirectory, "fixtures", "images", "formats");
        var seeds = Directory.GetFiles(folder).Where(f => f.EndsWith(".png", StringComparison.Ordinal) ||
                                                        f.EndsWith(".pgm", StringComparison.Ordinal) || f.EndsWith(".bmp", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToList();
        return new("image files", seeds, (m, b) => m.Bytes(b), (bytes, _) =>
        {
            var image = DigitsML.Imaging.GrayImage.Decode(bytes, "fuzzed image");
            if (image.Pixels.Length != image.Width * image.Height || image.Pixels.ToArray().Any(p => !(p >= 0 && p <= 1)))
                throw new AssertionException($"an accepted image of {image.Width} × {image.Height} has inconsistent pixels");
        });
    }
}
