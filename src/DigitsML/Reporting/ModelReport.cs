// ModelReport.cs — writes one self-contained HTML page about a trained digit model: training curves, confusion heat
// map with per-class precision and recall, galleries of right and wrong predictions, first-layer feature maps and
// the layer summary. Charts are inline SVG and images PNG data URIs, so the page needs no network to view.
using System.Globalization;
using System.Net;
using System.Text;
using DigitsML.Data;
using DigitsML.Engine;
using DigitsML.Trainers;

namespace DigitsML.Reporting;

/// <summary>Writes a model report; see <see cref="Write"/>.</summary>
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

    /// <summary>Scores <paramref name="data"/> with <paramref name="model"/> and writes the report to <paramref name="path"/>.</summary>
    /// <param name="model">A fitted pipeline holding a <see cref="CnnTransformer"/> whose first step maps <c>Label</c> to a
    /// key (as <c>digits train</c> and the QuickStart build it).</param>
    /// <param name="data">Labelled data with <c>Label</c> (Single) that the model can transform, e.g. the test set.</param>
    /// <param name="path">The HTML file to write.</param>
    /// <param name="options">What to show; default <see cref="ModelReportOptions"/>'s defaults.</param>
    /// <exception cref="ArgumentException">The model holds no CNN, or the data lacks the columns.</exception>
    public static void Write(ITransformer model, IDataView data, string path, ModelReportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        options ??= new ModelReportOptions();
        var cnn = TransformerChain.FindLast<CnnTransformer>(model) ?? throw new ArgumentException("The model holds no CNN transformer to report on.", nameof(model));
        var ml = new MLContext();
        // Metrics and galleries both read the scores: cached, the network scores each image once instead of twice.
        IDataView scored = ml.Data.Cache(model.Transform(data));
        var metrics = ml.MulticlassClassification.Evaluate(scored);
        var labels = ml.Data.CreateEnumerable<LabelRow>(data, reuseRowObject: false).Select(r => r.Label).ToList();
        var rows = ml.Data.CreateEnumerable<ScoredRow>(scored, reuseRowObject: false).ToList();
        var names = cnn.ClassNames;

        var examples = rows.Select((r, i) =>
        {
            int best = ArgMax(r.Score);
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
            .Append(".maps img{width:42px;height:42px}.row{display:flex;gap:24px;flex-wrap:wrap;align-items:flex-start}")
            .Append("</style></head><body>");
        html.Append("<h1>").Append(E(options.Title)).Append("</h1><p>").Append(E(cnn.Summary.Name)).Append(", ")
            .Append(cnn.Summary.TotalParameters.ToString("N0", CultureInfo.InvariantCulture)).Append(" parameters, on ")
            .Append(E(cnn.Device.ToString())).Append(". Evaluated on ").Append(rows.Count.ToString("N0", CultureInfo.InvariantCulture))
            .Append(" images: accuracy ").Append(P(metrics.MicroAccuracy)).Append(", macro accuracy ").Append(P(metrics.MacroAccuracy))
            .Append(", log-loss ").Append(metrics.LogLoss.ToString("0.0000", CultureInfo.InvariantCulture)).Append(".</p>");

        AppendCurves(html, cnn.History);
        html.Append("<h2 id=\"confusion\">Confusion matrix</h2><div class=\"row\">")
            .Append(SvgCharts.HeatMap("confusion-heatmap", metrics.ConfusionMatrix.Counts, names))
            .Append("<table id=\"per-class\"><tr><th>class</th><th>precision</th><th>recall</th></tr>");
        for (int c = 0; c < names.Count; c++)
            html.Append("<tr><td>").Append(E(names[c])).Append("</td><td>").Append(P(metrics.ConfusionMatrix.PerClassPrecision[c]))
                .Append("</td><td>").Append(P(metrics.ConfusionMatrix.PerClassRecall[c])).Append("</td></tr>");
        html.Append("</table></div>");

        AppendGallery(html, "misclassified", "Misclassified images (most confident first)", wrong, cnn.Network.Definition.InputShape);
        AppendGallery(html, "correct", "Correctly classified images (least confident first)", right, cnn.Network.Definition.InputShape);
        AppendFeatureMaps(html, cnn.Network, examples, names);
        AppendSummary(html, cnn.Summary);
        html.Append("</body></html>");
        File.WriteAllText(path, html.ToString(), Encoding.UTF8);
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

    // The first convolution's maps (after its BatchNorm and activation, when they follow it directly) for one image
    // of each class: what the network's first layer responds to.
    private static void AppendFeatureMaps(StringBuilder html, Network network, List<Example> examples, IReadOnlyList<string> names)
    {
        html.Append("<h2 id=\"features\">First convolution layer: feature maps</h2>");
        var layers = network.Summary.Layers;
        int conv = layers.ToList().FindIndex(l => l.Layer is Conv2d);
        if (conv < 0)
        {
            html.Append("<p>This network has no convolution.</p>");
            return;
        }
        int last = conv;
        while (last + 1 < layers.Count && layers[last + 1].Layer is BatchNorm2d or ReLU or LeakyReLU or Sigmoid or Tanh)
            last++;
        var shape = layers[last].OutputShape;
        html.Append("<p>Output of layer ").Append(last).Append(" (").Append(E(layers[last].Layer.ToString())).Append("), ")
            .Append(shape.Channels).Append(" maps of ").Append(shape.Height).Append(" × ").Append(shape.Width)
            .Append(", each scaled to its own range; one image per class.</p><div class=\"maps\">");
        int size = shape.Height * shape.Width;
        foreach (var name in names)
        {
            var example = examples.FirstOrDefault(e => e.Truth == name);
            if (example is null)
                continue;
            float[] maps = network.ForwardTo(last, example.Pixels, 1);
            html.Append("<div><b>").Append(E(name)).Append("</b> ");
            for (int c = 0; c < shape.Channels; c++)
            {
                var map = maps.AsSpan(c * size, size);
                float lo = float.MaxValue, hi = float.MinValue;
                foreach (var v in map) { lo = Math.Min(lo, v); hi = Math.Max(hi, v); }
                var scaled = new float[size];
                for (int i = 0; i < size; i++)
                    scaled[i] = hi > lo ? (map[i] - lo) / (hi - lo) : 0f;
                html.Append("<img alt=\"map ").Append(c).Append("\" src=\"").Append(PngWriter.DataUri(shape.Width, shape.Height, scaled)).Append("\">");
            }
            html.Append("</div>");
        }
        html.Append("</div>");
    }

    private static void AppendSummary(StringBuilder html, NetworkSummary summary)
    {
        html.Append("<h2 id=\"summary\">Model summary</h2><table><tr><th>#</th><th>layer</th><th>output shape</th><th>parameters</th></tr>");
        foreach (var row in summary.Layers)
            html.Append("<tr><td>").Append(row.Index).Append("</td><td style=\"text-align:left\">").Append(E(row.Layer.ToString()))
                .Append("</td><td>").Append(E(row.OutputShape.ToString())).Append("</td><td>")
                .Append(row.Parameters.ToString("N0", CultureInfo.InvariantCulture)).Append("</td></tr>");
        html.Append("<tr><th colspan=\"3\">total trainable parameters</th><th>")
            .Append(summary.TotalParameters.ToString("N0", CultureInfo.InvariantCulture)).Append("</th></tr></table>");
    }

    private static int ArgMax(float[] values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
            if (values[i] > values[best])
                best = i;
        return best;
    }

    private static string P(double v) => v.ToString("0.00 %", CultureInfo.InvariantCulture);

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
