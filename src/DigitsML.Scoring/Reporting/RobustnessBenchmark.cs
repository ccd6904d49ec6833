// RobustnessBenchmark.cs — scores a fitted digit model on a robustness set made by bench/robust/make_robust.py (clean
// images, each corruption, the other writers) through the model's own ML.NET chain; build/bench.sh robust and
// `digits report --robust` both use it.
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DigitsML;

/// <summary>The DigitsML side of the robustness benchmark (docs/robustness.md).</summary>
public static class RobustnessBenchmark
{
    /// <summary>The name of the clean images' result.</summary>
    public const string CleanName = "clean";

    /// <summary>The prefix of the other writers' results ("writers_rendered", "writers_photos").</summary>
    public const string WritersPrefix = "writers_";

    /// <summary>The model's results, in the benchmark's order: "clean" (the images the corruptions were made from:
    /// corruptions/clean-images-idx3-ubyte when the set has it, as a validation set made from training images does,
    /// else the first images of MNIST's test set in <paramref name="mnistDir"/>, as many as the corruptions hold), each
    /// corruption of corruptions/index.tsv, then "writers_rendered" (IDX) and "writers_photos" (image files through
    /// LoadImages and NormalizeDigit) when the set has writers/. Lazy: each set is scored when enumerated.</summary>
    /// <param name="ml">The context to load the data with.</param>
    /// <param name="model">A fitted model of the shape <c>digits train</c> writes: <c>MapValueToKey("Label")</c> first,
    /// a <c>Score</c> vector out.</param>
    /// <param name="robustDir">The robustness set's folder.</param>
    /// <param name="mnistDir">The folder with MNIST's t10k IDX files; needed only when the set has no clean images.</param>
    /// <param name="photos">Called with the photos as NormalizeDigit made them (Features, Label) before they are scored.</param>
    /// <exception cref="DirectoryNotFoundException">The folder has no corruptions/index.tsv.</exception>
    /// <exception cref="ArgumentException">The set has no clean images and no MNIST folder was given.</exception>
    /// <exception cref="InvalidOperationException">index.tsv lists nothing, or the model's output has no key-typed Label
    /// or no Score vector.</exception>
    public static IEnumerable<RobustnessResult> Evaluate(MLContext ml, ITransformer model, string robustDir, string? mnistDir = null,
        Action<IDataView>? photos = null)
    {
        ArgumentNullException.ThrowIfNull(ml);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(robustDir);
        string corruptions = Path.Combine(robustDir, "corruptions");
        string index = Path.Combine(corruptions, "index.tsv");
        if (!File.Exists(index))
            throw new DirectoryNotFoundException($"'{robustDir}' is not a robustness set: it has no corruptions/index.tsv (bench/robust/make_robust.py makes it)");
        string cleanFile = Path.Combine(corruptions, "clean-images-idx3-ubyte");
        if (!File.Exists(cleanFile) && mnistDir is null)
            throw new ArgumentException($"'{robustDir}' holds no clean images (corruptions/clean-images-idx3-ubyte): give the MNIST folder its corruptions were made from",
                nameof(mnistDir));
        return Iterate(ml, model, robustDir, corruptions, index, cleanFile, mnistDir, photos);
    }

    private static IEnumerable<RobustnessResult> Iterate(MLContext ml, ITransformer model, string robustDir, string corruptions, string index,
        string cleanFile, string? mnistDir, Action<IDataView>? photos)
    {
        string labels = Path.Combine(corruptions, "labels-idx1-ubyte");
        var names = File.ReadLines(index).Select(line => line.Split('\t')[0]).Where(name => name.Length > 0).ToList();
        if (names.Count == 0)
            throw new InvalidOperationException($"'{index}' lists no corruption");
        var corrupted = names.Select(name => ml.Data.LoadFromIdx(Path.Combine(corruptions, $"{name}-images-idx3-ubyte"), labels)).ToList();
        IDataView clean;
        if (File.Exists(cleanFile))
            clean = ml.Data.LoadFromIdx(cleanFile, labels);
        else
        {
            // The clean row scores the very test images the corruptions were made from: the first `count` of them.
            long count = corrupted[0].GetRowCount() ?? throw new InvalidOperationException("an IDX view knows its row count");
            clean = ml.Data.TakeRows(ml.Data.LoadFromIdx(Path.Combine(mnistDir!, "t10k-images-idx3-ubyte"), Path.Combine(mnistDir!, "t10k-labels-idx1-ubyte")), count);
        }
        yield return Score(CleanName, model, clean);
        for (int i = 0; i < names.Count; i++)
            yield return Score(names[i], model, corrupted[i]);
        string writers = Path.Combine(robustDir, "writers");
        if (!Directory.Exists(writers))
            yield break;
        yield return Score(WritersPrefix + "rendered", model,
            ml.Data.LoadFromIdx(Path.Combine(writers, "rendered-images-idx3-ubyte"), Path.Combine(writers, "rendered-labels-idx1-ubyte")));
        var files = ml.Data.CheckImageFiles(ml.Data.LoadFromImageFolder(Path.Combine(writers, "photos")));
        var normalized = ml.Transforms.LoadImages("Image", imageFolder: null, inputColumnName: "ImagePath")
            .Append(ml.Transforms.NormalizeDigit("Features", "Image"))
            .Fit(files)
            .Transform(files);
        photos?.Invoke(normalized);
        yield return Score(WritersPrefix + "photos", model, normalized);
    }

    /// <summary>Counts the rows whose most probable class (the first of equal scores) is their label. The models digits
    /// writes map Label to a key whose values are the Score slots' classes, in the same order.</summary>
    private static RobustnessResult Score(string name, ITransformer model, IDataView data)
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
        return new RobustnessResult(name, images, correct);
    }
}
