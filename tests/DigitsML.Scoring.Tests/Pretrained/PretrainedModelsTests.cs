// PretrainedModelsTests.cs — the models shipped inside DigitsML.Scoring: each matches its manifest's SHA-256, loads
// through ML.NET, and the classifier re-scores MNIST's test set to exactly the manifest's figure (scoring only, seconds).
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.ML;

namespace DigitsML.Scoring.Tests.Pretrained;

[TestFixture]
public class PretrainedModelsTests
{
    [Test]
    public void Manifest_NamesBothModelsWithCommandRecipeAndData()
    {
        var manifest = PretrainedModels.Manifest;
        Assert.That(manifest.Version, Is.EqualTo(1));
        Assert.That(manifest.Models.Select(m => m.Name), Is.EquivalentTo(new[] { PretrainedModels.Digits, PretrainedModels.Reader }));
        foreach (var model in manifest.Models)
        {
            Assert.That(model.Command, Is.Not.Empty, model.Name);
            Assert.That(model.Recipe, Is.Not.Empty, model.Name);
            Assert.That(model.Data, Is.Not.Empty, model.Name);
            Assert.That(model.Sha256, Does.Match("^[0-9A-F]{64}$"), model.Name);
        }
    }

    [TestCase(PretrainedModels.Digits)]
    [TestCase(PretrainedModels.Reader)]
    public void Open_BytesMatchTheManifestsHashAndSize(string name)
    {
        var info = PretrainedModels.Manifest.Models.Single(m => m.Name == name);
        using var stream = PretrainedModels.Open(name);
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        Assert.That(Convert.ToHexString(SHA256.HashData(bytes)), Is.EqualTo(info.Sha256));
        Assert.That(bytes.LongLength, Is.EqualTo(info.Bytes));
        Assert.That(info.Bytes, Is.LessThanOrEqualTo(5 * 1024 * 1024), "each shipped model is at most 5 MB");
    }

    [Test]
    public void Open_UnknownName_RefusedNamingTheModels()
    {
        var e = Assert.Throws<ArgumentException>(() => PretrainedModels.Open("cats"));
        Assert.That(e!.Message, Does.Contain("cats").And.Contain(PretrainedModels.Digits).And.Contain(PretrainedModels.Reader));
    }

    [Test]
    public void LoadPretrainedDigits_MnistTestSet_TheManifestsAccuracy()
    {
        var ml = new MLContext();
        var model = ml.Model.LoadPretrainedDigits();
        var test = ml.Data.LoadFromIdx(TestData.TestImages, TestData.TestLabels);
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(test));
        double shipped = PretrainedModels.Manifest.Models.Single(m => m.Name == PretrainedModels.Digits)
            .Figures.GetProperty("mnistTestAccuracy").GetDouble();
        Assert.That(metrics.MicroAccuracy, Is.EqualTo(shipped).Within(0.00005), "the manifest's figure, to its four decimals");
        (model as IDisposable)?.Dispose();
    }

    [Test]
    public void LoadPretrainedReader_IsALineReaderThatNumberReaderUses()
    {
        var ml = new MLContext();
        var model = ml.Model.LoadPretrainedReader();
        Assert.That(LineReader.IsLineReader(model, out string? problem), Is.True, problem);
        var reader = new NumberReader(model);
        Assert.That(reader.ReadsWholeLines);
        var blank = reader.Read(new DigitsML.Imaging.GrayImage(120, 40, Enumerable.Repeat(0.9f, 120 * 40).ToArray()));
        Assert.That(blank.Digits, Is.Empty);
        Assert.That(blank.Reason, Does.Contain("no ink"));
        (model as IDisposable)?.Dispose();
    }

    [Test]
    public void Figures_AreAJsonObject()
    {
        foreach (var model in PretrainedModels.Manifest.Models)
            Assert.That(model.Figures.ValueKind, Is.EqualTo(JsonValueKind.Object), model.Name);
    }
}
