// ServingFixtures.cs — a small trained model as a server would hold it (a zip loaded in its own MLContext), MNIST inputs,
// and a resident-memory probe, for the serving and leak tests.
using DigitsML.Tests.Pipeline;
using DigitsML.Trainers;

namespace DigitsML.Tests.Reliability;

internal static class ServingFixtures
{
    /// <summary>The pipeline with SeedNet trained one epoch on 2,000 MNIST images, saved: fitted once per run.</summary>
    private static readonly Lazy<byte[]> modelZip = new(() =>
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.Cache(ml.Data.TakeRows(PipelineData.MnistTrain, 2000));
        var model = ml.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
            .Append(ml.MulticlassClassification.Trainers.Cnn(new CnnTrainer.Options { Architecture = CnnArchitectures.SeedNet, Epochs = 1, Seed = 1 }))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"))
            .Fit(train);
        using var stream = new MemoryStream();
        ml.Model.Save(model, train.Schema, stream);
        model.Dispose();
        return stream.ToArray();
    });

    /// <summary>The saved model's bytes (the zip ml.Model.Save wrote).</summary>
    public static byte[] ModelZip => modelZip.Value;

    /// <summary>The saved model loaded in <paramref name="ml"/>: the caller disposes it.</summary>
    public static ITransformer LoadModel(MLContext ml) => ml.Model.LoadDigitsModel(new MemoryStream(modelZip.Value), out _);

    /// <summary>The first <paramref name="count"/> MNIST test images.</summary>
    public static DigitInput[] Images(int count)
    {
        var data = TestData.MnistTest;
        return [.. Enumerable.Range(0, count).Select(i => new DigitInput { Label = data.Labels[i], Features = data.Pixels.AsSpan(i * 784, 784).ToArray() })];
    }

    /// <summary>Resident memory from /proc/self/status (VmRSS), in bytes, after a full garbage collection.</summary>
    public static long ResidentBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        string line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }
}
