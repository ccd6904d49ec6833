// ModelReportTests.cs — the HTML model report, from the fitted pipeline and from the saved model zip: every section present,
// training curves after Save and Load, well-formed SVG, embedded PNGs, and a headless Chromium screenshot showing that its
// charts and images actually render.
using System.Diagnostics;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using DigitsML.Engine;
using DigitsML.Imaging;
using DigitsML.Networks;
using DigitsML.Trainers;

namespace DigitsML.Tests.Reporting;

[TestFixture]
[NonParallelizable]
public sealed partial class ModelReportTests
{
    private TemporaryDirectory folder = null!;
    private string report = "", reportFromFile = "";
    private int mistakes;

    [OneTimeSetUp]
    public void WriteReport()
    {
        folder = new TemporaryDirectory();
        report = Path.Combine(folder.Path, "report.html");
        var ml = new MLContext(seed: 1);
        var train = ml.Data.TakeRows(ml.Data.LoadFromIdx(TestData.TrainImages, TestData.TrainLabels), 3000);
        var test = ml.Data.TakeRows(ml.Data.LoadFromIdx(TestData.TestImages, TestData.TestLabels), 500);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
            .Append(ml.MulticlassClassification.Trainers.Cnn(new CnnTrainer.Options
            {
                Architecture = CnnArchitectures.DigitNet, Epochs = 2, BatchSize = 64, Optimizer = new AdamOptimizer(),
                Schedule = new ConstantLR(), ValidationFraction = 0.1,
            }))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
        using var model = pipeline.Fit(train);
        ModelReport.Write(model, test, report);
        mistakes = (int)Math.Round(500 * (1 - ml.MulticlassClassification.Evaluate(model.Transform(test)).MicroAccuracy));
        string zip = Path.Combine(folder.Path, "model.zip");
        ml.Model.Save(model, train.Schema, zip);
        reportFromFile = Path.Combine(folder.Path, "from-file.html");
        ModelReport.Write(zip, test, reportFromFile);
    }

    [OneTimeTearDown]
    public void RemoveFolder() => folder.Dispose();

    [Test]
    public void Write_TrainedModel_HasEverySection()
    {
        string html = File.ReadAllText(report);

        foreach (var id in new[] { "curves", "loss-chart", "accuracy-chart", "confusion", "confusion-heatmap", "per-class", "misclassified", "correct", "summary" })
            Assert.That(html, Does.Contain($"id=\"{id}\""), id);
        Assert.That(html, Does.Contain("validation"), "the validation curve is drawn when the model was validated");
        Assert.That(html, Does.Contain("total trainable parameters"));
        // Self-contained: nothing is fetched when the page is viewed.
        Assert.That(html, Does.Not.Contain("src=\"http").And.Not.Contain("href=\"http").And.Not.Contain("<link").And.Not.Contain("<script"));
    }

    [Test]
    public void Write_SavedModelFile_SameReportAsFromTheFittedModel()
    {
        // The training curves and network summary travel in the ONNX graph's metadata, so the file gives the same page.
        Assert.That(File.ReadAllText(reportFromFile), Is.EqualTo(File.ReadAllText(report)));
    }

    [Test]
    public void Write_ModelWithoutDigitsModelOrMissingFile_ThrowsSayingWhat()
    {
        var ml = new MLContext();
        var data = ml.Data.TakeRows(ml.Data.LoadFromIdx(TestData.TestImages, TestData.TestLabels), 10);
        var notOurs = ml.Transforms.Conversion.MapValueToKey("Label").Fit(data);

        Assert.That(() => ModelReport.Write(notOurs, data, Path.Combine(folder.Path, "x.html")),
            Throws.ArgumentException.With.Message.Contains("no DigitsML CNN or ensemble"));
        Assert.Throws<FileNotFoundException>(() => ModelReport.Write(Path.Combine(folder.Path, "absent.zip"), data, Path.Combine(folder.Path, "y.html")));
        Assert.That(File.Exists(Path.Combine(folder.Path, "x.html")) || File.Exists(Path.Combine(folder.Path, "y.html")), Is.False);
    }

    [Test]
    public void Write_TrainedModel_ChartsAreWellFormedSvg()
    {
        string html = File.ReadAllText(report);
        var svgs = SvgElement().Matches(html).Select(m => m.Value).ToList();

        Assert.That(svgs, Has.Count.EqualTo(3));
        foreach (var svg in svgs)
            Assert.That(() => XElement.Parse(svg), Throws.Nothing);
    }

    [Test]
    public void Write_TrainedModel_EmbedsDecodablePngs()
    {
        string html = File.ReadAllText(report);
        int maps = html.IndexOf("<h2 id=\"features\">", StringComparison.Ordinal);
        Assert.That(maps, Is.GreaterThan(0), "the feature-map section");
        var uris = PngUri().Matches(html[..maps]).Select(m => m.Groups[1].Value).ToList();
        var mapUris = PngUri().Matches(html[maps..]).Select(m => m.Groups[1].Value).ToList();

        // The galleries: up to 24 misclassified and 12 correct images by default.
        Assert.That(uris, Has.Count.EqualTo(Math.Min(24, mistakes) + Math.Min(12, 500 - mistakes)));
        // DigitNet's first block (Conv 32 3×3 padded, BatchNorm, ReLU): 32 maps of 28 × 28 for one image of each digit.
        Assert.That(html[maps..], Does.Contain("32 maps of 28 × 28"));
        Assert.That(mapUris, Has.Count.EqualTo(32 * 10));
        using (var map = MLImage.CreateFromStream(new MemoryStream(Convert.FromBase64String(mapUris[0]))))
            Assert.That((map.Width, map.Height), Is.EqualTo((28, 28)));
        foreach (var data in uris)
        {
            using var image = MLImage.CreateFromStream(new MemoryStream(Convert.FromBase64String(data)));
            Assert.That((image.Width, image.Height), Is.EqualTo((28, 28)));
            Assert.That(GrayImage.FromMLImage(image).Pixels.ToArray().Max(), Is.GreaterThan(0.5f), "each shows a digit's ink");
        }
    }

    [Test]
    public void Screenshot_InHeadlessChromium_ChartsAndImagesRender()
    {
        string full = Screenshot(report, "full.png");
        // The same page with every chart and image removed: what is left is text and tables.
        string stripped = Path.Combine(folder.Path, "stripped.html");
        string html = File.ReadAllText(report);
        File.WriteAllText(stripped, ImgElement().Replace(SvgElement().Replace(html, ""), ""));
        string bare = Screenshot(stripped, "stripped.png");

        double inkFull = Ink(full), inkBare = Ink(bare);
        TestContext.Out.WriteLine($"dark pixels: full page {inkFull:P2}, without charts and images {inkBare:P2}");
        Assert.That(inkFull, Is.GreaterThan(0.02));
        Assert.That(inkFull, Is.GreaterThan(inkBare * 2), "charts and images add most of the page's ink when they render");
    }

    private string Screenshot(string page, string name)
    {
        string chromium = "/usr/bin/chromium";
        if (!File.Exists(chromium))
            Assert.Fail("Debian's chromium is not installed: run build/test.sh (its set-up installs it) or apt-get install chromium.");
        string output = Path.Combine(folder.Path, name);
        var start = new ProcessStartInfo(chromium) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
                     $"--user-data-dir={Path.Combine(folder.Path, "chromium-profile")}", "--window-size=1280,5000",
                     $"--screenshot={output}", new Uri(page).AbsoluteUri })
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("chromium did not finish its screenshot in 2 minutes");
        }
        Assert.That(File.Exists(output), Is.True, $"chromium wrote no screenshot: {error.Result}");
        return output;
    }

    private static double Ink(string png)
    {
        using var decoded = MLImage.CreateFromFile(png);
        var image = GrayImage.FromMLImage(decoded);
        int dark = 0;
        foreach (var v in image.Pixels)
            if (v < 0.9f)
                dark++;
        return (double)dark / image.Pixels.Length;
    }

    [GeneratedRegex("<svg .*?</svg>", RegexOptions.Singleline)]
    private static partial Regex SvgElement();

    [GeneratedRegex("<img [^>]*>")]
    private static partial Regex ImgElement();

    [GeneratedRegex("data:image/png;base64,([A-Za-z0-9+/=]+)")]
    private static partial Regex PngUri();
}
