// SavedModelReportTests.cs — the HTML report of a saved model, written without the training package: from the zip, or
// from a fitted pipeline whose DigitsML model holds its graph (IOnnxScoredModel), the same page.
using DigitsML.Scoring.Tests.Onnx;
using DigitsML.Testing;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DigitsML.Scoring.Tests.Reporting;

[TestFixture]
public sealed class SavedModelReportTests
{
    /// <summary>A loaded model that holds its graph, as the training package's fitted models do.</summary>
    private sealed class HoldingModel(ITransformer inner, byte[] onnx) : ITransformer, IOnnxScoredModel
    {
        public ReadOnlyMemory<byte> OnnxModel => onnx;

        public bool IsRowToRowMapper => inner.IsRowToRowMapper;

        public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => inner.GetOutputSchema(inputSchema);

        public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => inner.GetRowToRowMapper(inputSchema);

        public IDataView Transform(IDataView input) => inner.Transform(input);

        void ICanSaveModel.Save(ModelSaveContext ctx) => inner.Save(ctx);
    }

    private TemporaryDirectory folder = null!;

    [SetUp]
    public void CreateFolder() => folder = new TemporaryDirectory();

    [TearDown]
    public void RemoveFolder() => folder.Dispose();

    [Test]
    public void Write_SavedModelFile_EverySectionFromTheGraphAndItsMetadata()
    {
        string path = Path.Combine(folder.Path, "report.html");

        ModelReport.Write(SavedGraphs.ModelPath, SavedGraphs.Test(new MLContext()), path, new ModelReportOptions { Title = "fixture" });

        string html = File.ReadAllText(path);
        Assert.That(html, Does.Contain("<title>fixture</title>"));
        foreach (string id in new[] { "loss-chart", "accuracy-chart", "confusion-heatmap", "per-class", "misclassified", "correct", "features", "summary" })
            Assert.That(html, Does.Contain($"id=\"{id}\""), id);
        Assert.That(html, Does.Contain($"Evaluated on {SavedGraphs.Rows} images"));
        Assert.That(html, Does.Not.Contain("carries no training history").And.Not.Contain("has no convolution"));
        Assert.That(html, Does.Contain("data:image/png;base64,"), "galleries and feature maps as PNG");
    }

    [Test]
    public void Write_PipelineHoldingTheGraph_SamePageAsFromTheFile()
    {
        var ml = new MLContext();
        string fromFile = Path.Combine(folder.Path, "file.html"), fromModel = Path.Combine(folder.Path, "model.html");
        var loaded = ml.Model.LoadDigitsModel(SavedGraphs.ModelPath, out _);
        try
        {
            var pipeline = new TransformerChain<ITransformer>(new HoldingModel(loaded, SavedGraphs.Batched));

            ModelReport.Write(pipeline, SavedGraphs.Test(ml), fromModel);
            ModelReport.Write(SavedGraphs.ModelPath, SavedGraphs.Test(ml), fromFile);

            Assert.That(File.ReadAllText(fromModel), Is.EqualTo(File.ReadAllText(fromFile)));
        }
        finally
        {
            (loaded as IDisposable)?.Dispose();
        }
    }

    [Test]
    public void Write_PipelineWithoutDigitsModel_ThrowsArgumentException()
    {
        var ml = new MLContext();
        var loaded = ml.Model.LoadDigitsModel(SavedGraphs.ModelPath, out _);
        try
        {
            var e = Assert.Throws<ArgumentException>(() => ModelReport.Write(loaded, SavedGraphs.Test(ml), Path.Combine(folder.Path, "r.html")));

            Assert.That(e!.Message, Does.Contain("pass its file"));
            Assert.That(Directory.GetFiles(folder.Path), Is.Empty);
        }
        finally
        {
            (loaded as IDisposable)?.Dispose();
        }
    }
}
