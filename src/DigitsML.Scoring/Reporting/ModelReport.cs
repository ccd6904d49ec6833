// ModelReport.cs — writes one self-contained HTML page about a trained digit model: training curves, confusion heat
// map with per-class precision and recall, galleries of right and wrong predictions, first-layer feature maps and
// the layer summary. Charts are inline SVG and images PNG data URIs, so the page needs no network to view.
using System.Globalization;
using System.Net;
using System.Text;
using DigitsML.Networks;
using DigitsML.Reporting;
using DigitsML.Scoring;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DigitsML;

/// <summary>Writes a model report; see the two <c>Write</c> overloads.</summary>
public static class ModelReport
{
    private sealed class ScoredRow
    {
        public float[] Features { get; set; } = [];

        public float[] Score { get; set; } = [];
    }

    private sealed class LabelRow
    {
        public float Label { get; set; }
    }

    private sealed record Example(int Row, float[] Pixels, string Truth, string Predicted, float Confidence);

    /// <summary>Scores <paramref name="data"/> with the fitted <paramref name="model"/> and writes the report to
    /// <paramref name="path"/>.</summary>
    /// <param name="model">A fitted pipeline holding a DigitsML model (CNN or ensemble: an <see cref="IOnnxScoredModel"/>),
    /// e.g. <c>MapValueToKey("Label")</c>, the trainer, <c>MapKeyToValue("PredictedLabel")</c>.</param>
    /// <param name="data">Labelled data with <c>Label</c> (Single) and <c>Features</c> that the model can transform.</param>
    /// <param name="path">The HTML file to write.</param>
    /// <param name="options">What to show; default <see cref="ModelReportOptions"/>'s defaults.</param>
    /// <exception cref="ArgumentException">The model holds no DigitsML model, or the data lacks the columns.</exception>
    public static void Write(ITransformer model, IDataView data, string path, ModelReportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var found = Find(model) ?? throw new ArgumentException(
            "The model holds no DigitsML CNN or ensemble to report on; for a saved model, pass its file.", nameof(model));
        byte[] onnx = found.OnnxModel.ToArray();
        WriteCore(model, onnx, TrainingMetadata.FromOnnx(onnx), data, path, options ?? new ModelReportOptions());
    }

    /// <summary>Loads the model zip <paramref name="modelPath"/> (from <c>ml.Model.Save</c>), scores <paramref name="data"/>
    /// and writes the report; the training curves and network come from the ONNX graph's metadata.</summary>
    /// <exception cref="FileNotFoundException">The model file does not exist.</exception>
    /// <exception cref="DataFormatException">It is not a model zip holding one ONNX graph.</exception>
    public static void Write(string modelPath, IDataView data, string path, ModelReportOptions? options = null)
    {
        byte[] onnx = OnnxGraphs.ToBatched(TrainingMetadata.ReadOnnxFromModelZip(modelPath));
        var metadata = TrainingMetadata.FromOnnx(onnx, modelPath);
        var model = new MLContext().Model.LoadDigitsModel(modelPath, out _);
        try
        {
            WriteCore(model, onnx, metadata, data, path, options ?? new ModelReportOptions());
        }
        finally
        {
            (model as IDisposable)?.Dispose();
        }
    }

    /// <summary>The last model in <paramref name="model"/> that holds its ONNX graph, looking inside chains.</summary>
    private static IOnnxScoredModel? Find(ITransformer model) => model switch
    {
        IOnnxScoredModel scored => scored,
        IEnumerable<ITransformer> chain => chain.Reverse().Select(Find).FirstOrDefault(m => m is not null),
        _ => null,
    };

    private static void WriteCore(ITransformer model, byte[] onnx, TrainingMetadata metadata, IDataView data, string path, ModelReportOptions options)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var ml = new MLContext();
        // Checked before any scoring: a wrong folder fails at once, naming it.
        var robustness = options.RobustnessSet is null ? null : RobustnessBenchmark.Evaluate(ml, model, options.RobustnessSet, options.RobustnessMnist);
        // Metrics and galleries both read the scores: cached, the network scores each image once instead of twice.
        // The classes of the Score slots and the model's own answer, established as DigitClassifier establishes them.
        var classes = ModelClasses.Find(ml, model, out string? problem)
                      ?? throw new DataFormatException(null, $"not a digit classifier the report can read: {problem}");
        IDataView scored = ml.Data.Cache(classes.Scoring.Transform(data));
        var metrics = ml.MulticlassClassification.Evaluate(scored);
        var labels = ml.Data.CreateEnumerable<LabelRow>(data, reuseRowObject: false).Select(r => r.Label).ToList();
        var rows = ml.Data.CreateEnumerable<ScoredRow>(scored, reuseRowObject: false).ToList();
        // The answer column is a key whose index is the Score slot + 1 (0, no answer, only from a broken model).
        var answers = classes.HasAnswer ? scored.GetColumn<uint>(ModelClasses.AnswerColumn).ToList() : null;
        var names = classes.SlotClasses;
        var shape = data.Schema["Features"].Type is VectorDataViewType { Dimensions: [1, int h, int w] } ? TensorShape.Image(1, h, w) : TensorShape.Mnist;

        var examples = rows.Select((r, i) =>
        {
            int best = answers is { } a && a[i] > 0 ? (int)a[i] - 1 : ModelClasses.ArgMax(r.Score);
            return new Example(i, r.Features, labels[i].ToString(CultureInfo.InvariantCulture), names[best], r.Score[best]);
        }).ToList();
        var wrong = examples.Where(e => e.Truth != e.Predicted).OrderByDescending(e => e.Confidence).Take(options.MisclassifiedCount);
        var right = examples.Where(e => e.Truth == e.Predicted).OrderBy(e => e.Confidence).Take(options.CorrectCount);

        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(options.Title)).Append("</title><style>")
            .Append("body{font-family:sans-serif;margin:24px;color:#222;max-width:1200px}h2{border-bottom:1px solid #ccc;padding-bottom:4px}")
            .Append("table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#f3f3f3}")
            .Append(".gallery{display:flex;flex-wrap:wrap;gap:10px}.card{text-align:center;font-size:12px;width:84px}")
            .Append(".card img,.maps img{image-rendering:pixelated;width:56px;height:56px;border:1px solid #999}")
            .Append(".maps img{width:42px;height:42px}")
            .Append(".row{display:flex;gap:24px;flex-wrap:wrap;align-items:flex-start}pre{background:#f7f7f7;padding:8px}")
            .Append("</style></head><body>");
        html.Append("<h1>").Append(E(options.Title)).Append("</h1><p>").Append(E(metadata.GraphDescription))
            .Append(". Evaluated on ").Append(rows.Count.ToString("N0", CultureInfo.InvariantCulture))
            .Append(" images: accuracy ").Append(P(metrics.MicroAccuracy)).Append(", macro accuracy ").Append(P(metrics.MacroAccuracy))
            .Append(", log-loss ").Append(metrics.LogLoss.ToString("0.0000", CultureInfo.InvariantCulture)).Append(".</p>");

        AppendCurves(html, metadata.Histories.Count > 0 ? metadata.Histories[0] : []);
        html.Append("<h2 id=\"confusion\">Confusion matrix</h2><div class=\"row\">")
            .Append(SvgCharts.HeatMap("confusion-heatmap", metrics.ConfusionMatrix.Counts, names))
            .Append("<table id=\"per-class\"><tr><th>class</th><th>precision</th><th>recall</th></tr>");
        for (int c = 0; c < names.Count; c++)
            html.Append("<tr><td>").Append(E(names[c])).Append("</td><td>").Append(P(metrics.ConfusionMatrix.PerClassPrecision[c]))
                .Append("</td><td>").Append(P(metrics.ConfusionMatrix.PerClassRecall[c])).Append("</td></tr>");
        html.Append("</table></div>");

        if (robustness is not null)
            AppendRobustness(html, robustness.ToList(), options.RobustnessSet!);
        AppendGallery(html, "misclassified", "Misclassified images (most confident first)", wrong, shape);
        AppendGallery(html, "correct", "Correctly classified images (least confident first)", right, shape);
        using (var renderer = FeatureMapRenderer.Create(onnx, metadata.FeatureMaps, shape))
            AppendFeatureMaps(html, renderer, examples, names);
        html.Append("<h2 id=\"summary\">Model summary</h2>");
        foreach (var network in metadata.Networks)
            html.Append("<pre>").Append(E(network)).Append("</pre>");
        html.Append("</body></html>");
        File.WriteAllText(path, html.ToString(), Encoding.UTF8);
    }

    // The first convolution's maps (after its BatchNorm and activation, when they follow it directly) for one image of
    // each class: what the network's first layer responds to. An ensemble shows its first member's.
    private static void AppendFeatureMaps(StringBuilder html, FeatureMapRenderer? renderer, List<Example> examples, IReadOnlyList<string> names)
    {
        html.Append("<h2 id=\"features\">First convolution layer: feature maps</h2>");
        if (renderer is null)
        {
            html.Append("<p>This network has no convolution.</p>");
            return;
        }
        var maps = renderer.Maps;
        html.Append("<p>Output of layer ").Append(maps.LayerIndex).Append(" (").Append(E(maps.Layer)).Append("), ")
            .Append(maps.Channels).Append(" maps of ").Append(maps.Height).Append(" × ").Append(maps.Width)
            .Append(", each scaled to its own range; one image per class.</p><div class=\"maps\">");
        int size = maps.Height * maps.Width;
        foreach (var name in names)
        {
            var example = examples.FirstOrDefault(e => e.Truth == name);
            if (example is null)
                continue;
            float[] values = renderer.Render(example.Pixels);
            html.Append("<div><b>").Append(E(name)).Append("</b> ");
            for (int c = 0; c < maps.Channels; c++)
            {
                var map = values.AsSpan(c * size, size);
                float lo = float.MaxValue, hi = float.MinValue;
                foreach (var v in map) { lo = Math.Min(lo, v); hi = Math.Max(hi, v); }
                var scaled = new float[size];
                for (int i = 0; i < size; i++)
                    scaled[i] = hi > lo ? (map[i] - lo) / (hi - lo) : 0f;
                html.Append("<img alt=\"map ").Append(c).Append("\" src=\"").Append(PngWriter.DataUri(maps.Width, maps.Height, scaled)).Append("\">");
            }
            html.Append("</div>");
        }
        html.Append("</div>");
    }

    private static void AppendCurves(StringBuilder html, IReadOnlyList<EpochProgress> history)
    {
        html.Append("<h2 id=\"curves\">Training curves</h2>");
        if (history.Count == 0)
        {
            html.Append("<p>This model carries no training history.</p>");
            return;
        }
        var loss = new List<SvgCharts.Series> { new("training", "#1f77b4", history.Select(h => h.TrainLoss).ToList()) };
        var accuracy = new List<SvgCharts.Series> { new("training", "#1f77b4", history.Select(h => h.TrainAccuracy).ToList()) };
        if (history.All(h => h.ValidationLoss is not null))
        {
            loss.Add(new("validation", "#ff7f0e", history.Select(h => h.ValidationLoss!.Value).ToList()));
            accuracy.Add(new("validation", "#ff7f0e", history.Select(h => h.ValidationAccuracy!.Value).ToList()));
        }
        html.Append("<div class=\"row\">").Append(SvgCharts.LineChart("loss-chart", "Loss per epoch", "cross-entropy", loss))
            .Append(SvgCharts.LineChart("accuracy-chart", "Accuracy per epoch", "accuracy", accuracy)).Append("</div>");
    }

    // One line per set as build/bench.sh robust prints them, the corruptions' mean after them and the writers pooled.
    private static void AppendRobustness(StringBuilder html, IReadOnlyList<RobustnessResult> results, string folder)
    {
        html.Append("<h2 id=\"robustness\">Robustness</h2><p>The robustness set in ").Append(E(folder))
            .Append(" (docs/robustness.md), scored through the model's ML.NET chain.</p><table id=\"robustness-table\"><tr><th>set</th><th>images</th><th>accuracy</th></tr>");
        void Row(string name, string images, double accuracy, bool bold = false) =>
            html.Append("<tr><td style=\"text-align:left\">").Append(bold ? "<b>" : "").Append(E(name)).Append(bold ? "</b>" : "").Append("</td><td>")
                .Append(images).Append("</td><td>").Append(bold ? "<b>" : "").Append(P(accuracy)).Append(bold ? "</b>" : "").Append("</td></tr>");
        string N(int n) => n.ToString("N0", CultureInfo.InvariantCulture);
        var corruptions = results.Where(r => r.IsCorruption).ToList();
        var writers = results.Where(r => !r.IsCorruption && r.Name != RobustnessBenchmark.CleanName).ToList();
        foreach (var r in results.Where(r => r.Name == RobustnessBenchmark.CleanName).Concat(corruptions))
            Row(r.Name, N(r.Images), r.Accuracy);
        if (corruptions.Count > 0)
            Row(corruptions.Count == 1 ? "mean of the 1 corruption" : $"mean of the {corruptions.Count} corruptions", "", corruptions.Average(r => r.Accuracy), bold: true);
        foreach (var r in writers)
            Row(r.Name.Replace('_', ' '), N(r.Images), r.Accuracy);
        if (writers.Count > 0)
            Row("other writers, all", N(writers.Sum(r => r.Images)), (double)writers.Sum(r => r.Correct) / Math.Max(1, writers.Sum(r => r.Images)), bold: true);
        html.Append("</table>");
    }

    private static void AppendGallery(StringBuilder html, string id, string title, IEnumerable<Example> examples, TensorShape shape)
    {
        html.Append("<h2 id=\"").Append(id).Append("\">").Append(E(title)).Append("</h2><div class=\"gallery\">");
        int shown = 0;
        foreach (var e in examples)
        {
            html.Append("<div class=\"card\"><img alt=\"row ").Append(e.Row).Append("\" src=\"")
                .Append(PngWriter.DataUri(shape.Width, shape.Height, e.Pixels.AsSpan(0, shape.Width * shape.Height))).Append("\"><br>true ")
                .Append(E(e.Truth)).Append(", said ").Append(E(e.Predicted)).Append("<br>").Append(P(e.Confidence)).Append("</div>");
            shown++;
        }
        if (shown == 0)
            html.Append("<p>None.</p>");
        html.Append("</div>");
    }

    private static string P(double v) => v.ToString("0.00 %", CultureInfo.InvariantCulture);

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
