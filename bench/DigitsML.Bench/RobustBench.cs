// RobustBench.cs — the DigitsML side of build/bench.sh robust: a saved model's accuracy on MNIST's test set, on each
// corruption of the robustness set (bench/robust/make_robust.py) and on the other writers, scored through ML.NET.
using System.Buffers.Binary;
using DigitsML;
using Microsoft.ML;
using Microsoft.ML.Data;

/// <summary>The <c>--robust</c> measurement of <c>build/bench.sh</c>.</summary>
internal static class RobustBench
{
    /// <summary>One set's result: how many of its images the model labelled right.</summary>
    internal sealed record SetResult(string Name, int Images, int Correct)
    {
        /// <summary>The fraction right.</summary>
        public double Accuracy => Images == 0 ? 0 : (double)Correct / Images;

        /// <summary>The line build/bench.sh reads (the same keys as bench/robust_peer.py prints).</summary>
        public override string ToString() => FormattableString.Invariant($"robust_set={Name} images={Images} correct={Correct} accuracy={Accuracy:F4}");
    }

    /// <summary>Loads <paramref name="modelPath"/>, prints a line per set (see <see cref="Evaluate"/>) and writes the
    /// photos as NormalizeDigit made them to <paramref name="photosOut"/> (prefix of two IDX files) when given.</summary>
    internal static int Run(string modelPath, string robustDir, string mnist, string? photosOut)
    {
        if (!File.Exists(modelPath))
        {
            Console.Error.WriteLine($"DigitsML.Bench: no model file at '{Path.GetFullPath(modelPath)}' (build/run.sh writes artifacts/digits-model.zip)");
            return 1;
        }
        var ml = new MLContext(seed: 1);
        ITransformer model;
        try
        {
            model = ml.Model.Load(modelPath, out _);
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or InvalidOperationException or EndOfStreamException)
        {
            Console.Error.WriteLine($"DigitsML.Bench: '{modelPath}' is not an ML.NET model zip as digits train writes them: {e.Message}");
            return 1;
        }
        Console.WriteLine($"model={Path.GetFullPath(modelPath)}");
        foreach (var result in Evaluate(ml, model, mnist, robustDir, photosOut))
            Console.WriteLine(result);
        (model as IDisposable)?.Dispose();
        return 0;
    }

    /// <summary>The model's results, in the benchmark's order: "clean" (the MNIST test images the corruptions were made
    /// from: as many as the corruptions hold), each corruption of corruptions/index.tsv, then "writers_rendered" (IDX)
    /// and "writers_photos" (image files through LoadImages and NormalizeDigit) when the set has writers/. Lazy: each
    /// set is scored when enumerated.</summary>
    /// <exception cref="DirectoryNotFoundException">The robustness folder has no corruptions/index.tsv.</exception>
    /// <exception cref="InvalidOperationException">The model's output has no key-typed Label or no Score vector.</exception>
    internal static IEnumerable<SetResult> Evaluate(MLContext ml, ITransformer model, string mnist, string robustDir, string? photosOut = null)
    {
        string corruptions = Path.Combine(robustDir, "corruptions");
        string index = Path.Combine(corruptions, "index.tsv");
        if (!File.Exists(index))
            throw new DirectoryNotFoundException($"'{robustDir}' is not a robustness set: it has no corruptions/index.tsv (bench/robust/make_robust.py makes it)");
        string labels = Path.Combine(corruptions, "labels-idx1-ubyte");
        var names = File.ReadLines(index).Select(line => line.Split('\t')[0]).Where(name => name.Length > 0).ToList();
        if (names.Count == 0)
            throw new InvalidOperationException($"'{index}' lists no corruption");
        var corrupted = names.Select(name => ml.Data.LoadFromIdx(Path.Combine(corruptions, $"{name}-images-idx3-ubyte"), labels)).ToList();
        // The clean row scores the very test images the corruptions were made from: the first `count` of them.
        long count = corrupted[0].GetRowCount() ?? throw new InvalidOperationException("an IDX view knows its row count");
        var clean = ml.Data.TakeRows(ml.Data.LoadFromIdx(Path.Combine(mnist, "t10k-images-idx3-ubyte"), Path.Combine(mnist, "t10k-labels-idx1-ubyte")), count);
        yield return Score("clean", model, clean);
        for (int i = 0; i < names.Count; i++)
            yield return Score(names[i], model, corrupted[i]);
        string writers = Path.Combine(robustDir, "writers");
        if (!Directory.Exists(writers))
            yield break;
        yield return Score("writers_rendered", model, ml.Data.LoadFromIdx(Path.Combine(writers, "rendered-images-idx3-ubyte"), Path.Combine(writers, "rendered-labels-idx1-ubyte")));
        var files = ml.Data.CheckImageFiles(ml.Data.LoadFromImageFolder(Path.Combine(writers, "photos")));
        var photos = ml.Transforms.LoadImages("Image", imageFolder: null, inputColumnName: "ImagePath")
            .Append(ml.Transforms.NormalizeDigit("Features", "Image"))
            .Fit(files)
            .Transform(files);
        if (photosOut is not null)
            WriteIdx(photos, photosOut);
        yield return Score("writers_photos", model, photos);
    }

    /// <summary>Counts the rows whose most probable class (the first of equal scores) is their label. The models digits
    /// writes map Label to a key whose values are the Score slots' classes, in the same order.</summary>
    private static SetResult Score(string name, ITransformer model, IDataView data)
    {
        var scored = model.Transform(data);
        var label = scored.Schema.GetColumnOrNull("Label") ?? throw new InvalidOperationException("the model's output has no Label column");
        var score = scored.Schema.GetColumnOrNull("Score") ?? throw new InvalidOperationException("the model's output has no Score column");
        if (label.Type is not KeyDataViewType { RawType: var raw } || raw != typeof(uint))
            throw new InvalidOperationException($"the model's Label is {label.Type}, not a key: give a model whose pipeline begins with MapValueToKey(\"Label\"), as digits train writes them");
        int images = 0, correct = 0;
        using var cursor = scored.GetRowCursor([label, score]);
        var getLabel = cursor.GetGetter<uint>(label);
        var getScore = cursor.GetGetter<VBuffer<float>>(score);
        uint key = 0;
        VBuffer<float> scores = default;
        while (cursor.MoveNext())
        {
            getLabel(ref key);
            getScore(ref scores);
            var values = scores.GetValues();
            int best = 0;
            for (int j = 1; j < values.Length; j++)
                if (values[j] > values[best])
                    best = j;
            images++;
            if (key == best + 1) // key 0 is a label the model never saw: always wrong
                correct++;
        }
        return new SetResult(name, images, correct);
    }

    /// <summary>Writes the Features and Label columns as IDX files PREFIX-images-idx3-float (big-endian float32, type
    /// 0x0D) and PREFIX-labels-idx1-ubyte, for the PyTorch peer to read the very pixels DigitsML scored.</summary>
    private static void WriteIdx(IDataView normalized, string prefix)
    {
        var pixels = new List<float>();
        var labels = new List<byte>();
        var features = normalized.Schema["Features"];
        var label = normalized.Schema["Label"];
        using (var cursor = normalized.GetRowCursor([features, label]))
        {
            var getFeatures = cursor.GetGetter<VBuffer<float>>(features);
            var getLabel = cursor.GetGetter<float>(label);
            VBuffer<float> row = default;
            float value = 0;
            while (cursor.MoveNext())
            {
                getFeatures(ref row);
                getLabel(ref value);
                pixels.AddRange(row.DenseValues());
                labels.Add(checked((byte)value));
            }
        }
        using (var images = File.Create(prefix + "-images-idx3-float"))
        {
            Span<byte> word = stackalloc byte[4];
            images.Write([0, 0, 0x0D, 3]);
            foreach (int dim in new[] { labels.Count, 28, 28 })
            {
                BinaryPrimitives.WriteInt32BigEndian(word, dim);
                images.Write(word);
            }
            foreach (float p in pixels)
            {
                BinaryPrimitives.WriteSingleBigEndian(word, p);
                images.Write(word);
            }
        }
        using var file = File.Create(prefix + "-labels-idx1-ubyte");
        Span<byte> header = stackalloc byte[8];
        header[2] = 0x08;
        header[3] = 1;
        BinaryPrimitives.WriteInt32BigEndian(header[4..], labels.Count);
        file.Write(header);
        file.Write(labels.ToArray());
    }
}
