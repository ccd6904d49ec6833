// PhotoSet.cs — the committed photo set of make_photos.py (labels.tsv, images/, model.onnx) and the CNN that reads it.
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace DigitsML.Scoring.Tests.Photos;

/// <summary>One photo of labels.tsv.</summary>
internal sealed record Photo(string File, int Label, string Condition)
{
    public string Path => System.IO.Path.Combine(PhotoSet.Root, "images", File);
}

/// <summary>The photos make_photos.py wrote (PIL and numpy: MNIST test digits written on paper and photographed) and the
/// small CNN it trained with PyTorch on MNIST's training set, scored here with ONNX Runtime: a model independent of
/// DigitsML, so the figures measure NormalizeDigit.</summary>
internal static class PhotoSet
{
    public static string Root => System.IO.Path.Combine(TestContext.CurrentContext.TestDirectory, "Photos");

    public static IReadOnlyList<Photo> All { get; } = Read();

    private static Photo[] Read()
    {
        string tsv = System.IO.Path.Combine(Root, "labels.tsv");
        return [.. File.ReadLines(tsv).Skip(1).Select(line => line.Split('\t'))
            .Select(f => new Photo(f[0], int.Parse(f[1], System.Globalization.CultureInfo.InvariantCulture), f[2]))];
    }

    private static readonly Lazy<InferenceSession> Session = new(() =>
        new InferenceSession(System.IO.Path.Combine(Root, "model.onnx"), new SessionOptions { IntraOpNumThreads = 1 }));

    /// <summary>The model's digit for each 784-value image (ink bright on black, as NormalizeDigit makes it).</summary>
    public static int[] Predict(IReadOnlyList<float[]> images)
    {
        var input = new DenseTensor<float>([images.Count, 1, 28, 28]);
        for (int i = 0; i < images.Count; i++)
            images[i].CopyTo(input.Buffer.Span.Slice(i * 784, 784));
        using var results = Session.Value.Run([NamedOnnxValue.CreateFromTensor("image", input)]);
        var logits = results.Single().AsTensor<float>();
        var digits = new int[images.Count];
        for (int i = 0; i < images.Count; i++)
            for (int d = 1; d < 10; d++)
                if (logits[i, d] > logits[i, digits[i]])
                    digits[i] = d;
        return digits;
    }
}
