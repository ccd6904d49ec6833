// FuzzTargets.cs — the readers the fuzzer feeds: IDX images and labels through ml.Data.LoadFromIdx, network files,
// safetensors, image files through ImageAnalytics' LoadImages and NormalizeDigit, and model zips through LoadDigitsModel.
using DigitsML.Engine;
using DigitsML.IO;
using DigitsML.Networks;

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

    /// <summary>A parsed view must have MNIST's schema, labels that are bytes and pixels in [0, 1].</summary>
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
            if (l is < 0 or > 255 || l != MathF.Round(l) || buffer.Length != 784 || buffer.DenseValues().Any(p => p is < 0 or > 1))
                throw new AssertionException($"accepted row {cursor.Position} with label {l} and {buffer.Length} pixels out of range");
        }
    }

    /// <summary>The tiny network in the archive a training checkpoint keeps its network in (ModelArchive's zip with
    /// NetworkSerializer's entries: what TrainingCheckpoint writes and reads).</summary>
    internal static byte[] NetworkSeed(string directory)
    {
        using var network = Network.Create(Tiny, seed: 4);
        var entries = new Dictionary<string, byte[]>();
        DigitsML.IO.NetworkSerializer.AddEntries(entries, "", network);
        using var archive = new MemoryStream();
        DigitsML.IO.ModelArchive.Write(archive, entries);
        return archive.ToArray();
    }

    /// <summary>Mutated network archives read from a path as a checkpoint reads them; an accepted network must run a
    /// forward pass.</summary>
    internal static FuzzTarget NetworkFiles(byte[] file) => new("network archives", [file], (m, b) => m.ModelFile(b), (bytes, scratch) =>
    {
        File.WriteAllBytes(scratch + ".zip", bytes);
        IReadOnlyDictionary<string, byte[]> entries;
        using (var stream = File.OpenRead(scratch + ".zip"))
            entries = DigitsML.IO.ModelArchive.Read(stream, scratch + ".zip");
        using var network = DigitsML.IO.NetworkSerializer.FromEntries(entries, "", default, scratch + ".zip");
        float[] p = network.Forward(new float[network.InputElements], 1);
        if (p.Length != network.Classes)
            throw new AssertionException("an accepted network gave the wrong number of outputs");
    });

    /// <summary>Mutated safetensors read directly (the weights entry of a network file, no hash in front of it).</summary>
    internal static FuzzTarget SafetensorsFiles(byte[] networkFile)
    {
        byte[] weights = Mutator.Unzip(networkFile).First(kv => kv.Key.EndsWith(NetworkSerializer.WeightsEntry, StringComparison.Ordinal)).Value;
        return new("safetensors", [weights], (m, b) => m.Random.Next(2) == 0 ? m.SafetensorsHeader(b) : m.Bytes(b), (bytes, _) =>
        {
            foreach (var t in Safetensors.Read(bytes, "weights"))
                if (t.Data.Length != t.Elements)
                    throw new AssertionException($"tensor {t.Name} holds {t.Data.Length} values for shape {t.ShapeText}");
        });
    }

    /// <summary>Every PNG and BMP fixture and the fixture photos (PNG, JPEG, BMP) as seeds, each mutant decoded by
    /// ImageAnalytics' <see cref="MLImage"/> (SkiaSharp) and put through what NormalizeDigit does with it
    /// (<c>GrayImage.FromMLImage</c>, <c>DigitNormalizer</c>): an accepted image must give 784 features in [0, 1]. MLImage
    /// refuses what Skia cannot decode with an <see cref="ArgumentException"/>, this target's refusal. The mutants are
    /// decoded from a file path, not through <c>LoadImages</c>: LoadImages decodes from a managed stream, where SkiaSharp
    /// 2.88.9 crashes the process on some corrupt files (see NormalizeDigitEstimatorTests'
    /// LoadImages_BmpWithPixelOffsetPast2GiB_RefusedWithoutCrashing), which would end the whole test run here.</summary>
    internal static FuzzTarget ImageFiles()
    {
        string fixtures = Path.Combine(AppContext.BaseDirectory, "fixtures", "images");
        var seeds = Directory.GetFiles(fixtures, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".png", StringComparison.Ordinal) || f.EndsWith(".jpg", StringComparison.Ordinal) || f.EndsWith(".bmp", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToList();
        return new("image files", seeds, (m, b) => m.Bytes(b), (bytes, scratch) =>
        {
            File.WriteAllBytes(scratch + ".img", bytes);
            using var image = MLImage.CreateFromFile(scratch + ".img");
            var grey = DigitsML.Imaging.GrayImage.FromMLImage(image);
            var features = new float[784];
            DigitsML.Imaging.DigitNormalizer.Normalize(grey, DigitInk.Auto, features);
            if (features.Any(p => !(p >= 0 && p <= 1)))
                throw new AssertionException($"an accepted {grey} gave features outside [0, 1]");
        }, e => e is ArgumentException { ParamName: "imagePath" });
    }

    /// <summary>Two saved models as model-zip seeds: the DigitsML pipeline (an ONNX graph behind ML.NET's key
    /// mappings) and an ML.NET SDCA pipeline (ML.NET's own linear model state, no ONNX).</summary>
    internal static IReadOnlyList<byte[]> ModelZipSeeds()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(ServingFixtures.Images(200));
        using var sdca = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(maximumNumberOfIterations: 3)).Fit(data);
        using var stream = new MemoryStream();
        ml.Model.Save(sdca, data.Schema, stream);
        return [ServingFixtures.ModelZip, stream.ToArray()];
    }

    /// <summary>Mutated model zips loaded from a path by <c>LoadDigitsModel</c>; an accepted model whose input schema is
    /// DigitInput's must then score one MNIST digit without an exception.</summary>
    internal static FuzzTarget ModelZipFiles(IReadOnlyList<byte[]> seeds)
    {
        var ml = new MLContext();
        var digit = ml.Data.LoadFromEnumerable(ServingFixtures.Images(1));
        return new("model zips", seeds, (m, b) => new ModelZipMutator(m).Mutate(b), (bytes, scratch) =>
        {
            File.WriteAllBytes(scratch + ".zip", bytes);
            var model = ml.Model.LoadDigitsModel(scratch + ".zip", out var schema);
            try
            {
                bool digitInput = schema is not null && schema.All(c => digit.Schema.GetColumnOrNull(c.Name)?.Type.Equals(c.Type) == true);
                if (digitInput && model.Transform(digit) is var scored && scored.Schema.GetColumnOrNull("Score") is not null)
                    _ = scored.GetColumn<float[]>("Score").Single();
            }
            finally
            {
                (model as IDisposable)?.Dispose();
            }
        });
    }

    /// <summary>Mutated model zips read as <c>digits report</c> and <c>digits export</c> read them, without ML.NET: the
    /// graph taken out of the zip, given its batch dimension back, and its training metadata read.</summary>
    internal static FuzzTarget ModelZipGraphs(IReadOnlyList<byte[]> seeds) => new("model zip graphs (report, export)", seeds,
        (m, b) => new ModelZipMutator(m).Mutate(b), (bytes, scratch) =>
        {
            File.WriteAllBytes(scratch + ".zip", bytes);
            byte[] onnx = DigitsML.OnnxGraphs.ToBatched(DigitsML.TrainingMetadata.ReadOnnxFromModelZip(scratch + ".zip"));
            DigitsML.TrainingMetadata.FromOnnx(onnx, scratch + ".zip");
        });
}
