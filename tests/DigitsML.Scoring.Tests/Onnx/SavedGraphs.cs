// SavedGraphs.cs — what the ONNX and report tests read: the checked-in model zip (fixtures/reading-model.zip, a trained
// QuickNet), its graph, the first MNIST test images, and ONNX Runtime's scores of a graph on them.
using DigitsML.Data;
using DigitsML.Scoring.Tests.Reading;
using Microsoft.ML;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace DigitsML.Scoring.Tests.Onnx;

internal static class SavedGraphs
{
    /// <summary>Images scored by the tests: enough for every class, few enough to stay fast.</summary>
    public const int Rows = 200;

    private static readonly Lazy<byte[]> batched = new(() => OnnxGraphs.ToBatched(TrainingMetadata.ReadOnnxFromModelZip(ModelPath)));
    private static readonly Lazy<float[]> pixels = new(() =>
        [.. IdxFile.ReadImages(TestData.TestImages).Pixels.Take(Rows * 784).Select(b => b / 255f)]);

    /// <summary>The saved model zip.</summary>
    public static string ModelPath => ReadingModel.Path;

    /// <summary>Its graph, batched (input Features (batch, 1, 28, 28), output Score (batch, 10)).</summary>
    public static byte[] Batched => batched.Value;

    /// <summary>The first <see cref="Rows"/> MNIST test images, 784 values in [0, 1] each.</summary>
    public static float[] Pixels => pixels.Value;

    /// <summary>The first <see cref="Rows"/> MNIST test images as an ML.NET view (Label, Features).</summary>
    public static IDataView Test(MLContext ml) => ml.Data.TakeRows(ml.Data.LoadFromIdx(TestData.TestImages, TestData.TestLabels), Rows);

    /// <summary>ONNX Runtime's <c>Score</c> of <paramref name="onnx"/> on <see cref="Pixels"/>, one array per image.</summary>
    public static float[][] Score(byte[] onnx, string output = "Score")
    {
        using var session = new InferenceSession(onnx);
        var input = new DenseTensor<float>(Pixels, [Rows, 1, 28, 28]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("Features", input)], [output]);
        float[] flat = [.. results.First().AsEnumerable<float>()];
        int classes = flat.Length / Rows;
        return [.. Enumerable.Range(0, Rows).Select(r => flat.AsSpan(r * classes, classes).ToArray())];
    }

    /// <summary>The index of the largest value (the first on a tie).</summary>
    public static int ArgMax(float[] values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
            if (values[i] > values[best])
                best = i;
        return best;
    }
}
