// RobustBench.cs — the DigitsML side of build/bench.sh robust: a saved model's accuracy on MNIST's test set, on each
// corruption of the robustness set (bench/robust/make_robust.py) and on the other writers, scored through ML.NET by the
// library's RobustnessBenchmark (which `digits report --robust` shares).
using System.Buffers.Binary;
using DigitsML;
using Microsoft.ML;
using Microsoft.ML.Data;

/// <summary>The <c>--robust</c> measurement of <c>build/bench.sh</c>.</summary>
internal static class RobustBench
{
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
        foreach (var result in RobustnessBenchmark.Evaluate(ml, model, robustDir, mnist, photosOut is null ? null : photos => WriteIdx(photos, photosOut)))
            Console.WriteLine(result);
        (model as IDisposable)?.Dispose();
        return 0;
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
