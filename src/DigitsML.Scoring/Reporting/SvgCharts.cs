// SvgCharts.cs — the report's charts drawn as inline SVG: per-epoch line charts and the confusion heat map.
using System.Globalization;
using System.Net;
using System.Text;

namespace DigitsML.Reporting;

internal static class SvgCharts
{
    internal sealed record Series(string Name, string Color, IReadOnlyList<double> Values);

    private static string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    private static string E(string text) => WebUtility.HtmlEncode(text);

    /// <summary>A line chart of values per epoch (x = 1..n), with axes, grid, ticks and a legend.</summary>
    internal static string LineChart(string id, string title, string yLabel, IReadOnlyList<Series> series, int width = 520, int height = 300)
    {
        const int left = 60, right = 20, top = 36, bottom = 44;
        var all = series.SelectMany(s => s.Values).Where(double.IsFinite).ToList();
        double min = all.Count == 0 ? 0 : all.Min(), max = all.Count == 0 ? 1 : all.Max();
        if (max - min < 1e-9) { min -= 0.5; max += 0.5; }
        double pad = (max - min) * 0.08;
        min -= pad; max += pad;
        int points = Math.Max(1, series.Max(s => s.Values.Count));
        double plotW = width - left - right, plotH = height - top - bottom;
        double X(int i) => left + (points == 1 ? plotW / 2 : plotW * i / (points - 1));
        double Y(double v) => top + plotH * (1 - (v - min) / (max - min));

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg id=\"{id}\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\">");
        svg.Append("<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{width / 2}\" y=\"20\" text-anchor=\"middle\" font-size=\"15\" font-weight=\"bold\">{E(title)}</text>");
        for (int t = 0; t <= 4; t++)
        {
            double v = min + (max - min) * t / 4;
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" x2=\"{width - right}\" y1=\"{F(Y(v))}\" y2=\"{F(Y(v))}\" stroke=\"#ddd\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left - 6}\" y=\"{F(Y(v) + 4)}\" text-anchor=\"end\" font-size=\"11\">{v.ToString("0.###", CultureInfo.InvariantCulture)}</text>");
        }
        for (int i = 0; i < points; i++)
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(X(i))}\" y=\"{height - bottom + 16}\" text-anchor=\"middle\" font-size=\"11\">{i + 1}</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" x2=\"{left}\" y1=\"{top}\" y2=\"{height - bottom}\" stroke=\"#333\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" x2=\"{width - right}\" y1=\"{height - bottom}\" y2=\"{height - bottom}\" stroke=\"#333\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + plotW / 2}\" y=\"{height - 8}\" text-anchor=\"middle\" font-size=\"12\">epoch</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text transform=\"translate(14 {top + plotH / 2}) rotate(-90)\" text-anchor=\"middle\" font-size=\"12\">{E(yLabel)}</text>");
        for (int s = 0; s < series.Count; s++)
        {
            var values = series[s].Values;
            var path = string.Join(' ', values.Select((v, i) => $"{(i == 0 ? 'M' : 'L')}{F(X(i))},{F(Y(v))}"));
            svg.Append(CultureInfo.InvariantCulture, $"<path d=\"{path}\" fill=\"none\" stroke=\"{series[s].Color}\" stroke-width=\"2.5\"/>");
            foreach (var (v, i) in values.Select((v, i) => (v, i)))
                svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{F(X(i))}\" cy=\"{F(Y(v))}\" r=\"3.5\" fill=\"{series[s].Color}\"/>");
            int ly = top + 6 + 16 * s;
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{width - right - 150}\" y=\"{ly}\" width=\"14\" height=\"4\" fill=\"{series[s].Color}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{width - right - 130}\" y=\"{ly + 6}\" font-size=\"12\">{E(series[s].Name)}</text>");
        }
        return svg.Append("</svg>").ToString();
    }

    /// <summary>The confusion matrix as a heat map: rows actual, columns predicted, counts written in the cells,
    /// colour by the share of the row so that errors on small classes still show.</summary>
    internal static string HeatMap(string id, IReadOnlyList<IReadOnlyList<double>> counts, IReadOnlyList<string> names)
    {
        int k = counts.Count, cell = Math.Clamp(440 / Math.Max(1, k), 18, 44), left = 70, top = 50;
        int width = left + k * cell + 20, height = top + k * cell + 20;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg id=\"{id}\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\">");
        svg.Append("<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + k * cell / 2}\" y=\"16\" text-anchor=\"middle\" font-size=\"12\">predicted</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text transform=\"translate(14 {top + k * cell / 2}) rotate(-90)\" text-anchor=\"middle\" font-size=\"12\">actual</text>");
        for (int a = 0; a < k; a++)
        {
            double rowTotal = Math.Max(1, counts[a].Sum());
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left - 8}\" y=\"{top + a * cell + cell / 2 + 4}\" text-anchor=\"end\" font-size=\"11\">{E(names[a])}</text>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + a * cell + cell / 2}\" y=\"{top - 8}\" text-anchor=\"middle\" font-size=\"11\">{E(names[a])}</text>");
            for (int p = 0; p < k; p++)
            {
                double share = counts[a][p] / rowTotal;
                // Diagonal cells in blue, errors in red; intensity grows with the share (errors with its square root).
                double strength = a == p ? share : Math.Sqrt(share);
                int fade = (int)Math.Round(255 * (1 - Math.Clamp(strength, 0, 1)));
                string colour = a == p ? $"rgb({fade},{fade},255)" : $"rgb(255,{fade},{fade})";
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{left + p * cell}\" y=\"{top + a * cell}\" width=\"{cell}\" height=\"{cell}\" fill=\"{colour}\" stroke=\"#eee\"/>");
                if (counts[a][p] > 0 && cell >= 24)
                    svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + p * cell + cell / 2}\" y=\"{top + a * cell + cell / 2 + 4}\" text-anchor=\"middle\" font-size=\"10\" fill=\"{(strength > 0.6 ? "#fff" : "#000")}\">{counts[a][p]:0}</text>");
            }
        }
        return svg.Append("</svg>").ToString();
    }
}
