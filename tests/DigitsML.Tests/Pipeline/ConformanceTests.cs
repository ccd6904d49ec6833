// ConformanceTests.cs — every DigitsML estimator through the one conformance helper, on the real ML.NET: Trainers.Cnn
// (bare and in the issue's chain), Trainers.VotingEnsemble (soft and hard) and Transforms.NormalizeDigit; and the trainers
// with ML.NET's own TrainTestSplit, Evaluate and CrossValidate. A few thousand MNIST rows and one epoch keep it fast.
using DigitsML.Engine;
using DigitsML.Networks;
using DigitsML.Tests.Imaging;
using DigitsML.Trainers;

namespace DigitsML.Tests.Pipeline;

[TestFixture]
[Category("Slow")]
public sealed class ConformanceTests
{
    private const int Rows = 2000;

    /// <summary>The first 2,000 MNIST training rows, Label still Single.</summary>
    private static IDataView Raw(MLContext ml) => PipelineData.First(ml, PipelineData.MnistTrain, Rows);

    private static CnnTrainer Cnn(MLContext ml, NetworkDefinition architecture, int seed) =>
        ml.MulticlassClassification.Trainers.Cnn(new CnnTrainer.Options { Architecture = architecture, Epochs = 1, Seed = seed });

    /// <summary>The issue's pipeline shape around <paramref name="trainer"/>.</summary>
    private static IEstimator<ITransformer> IssueChain(MLContext ml, IEstimator<ITransformer> trainer) =>
        ml.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
            .Append(trainer)
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));

    private static IEstimator<ITransformer> Ensemble(MLContext ml, VotingKind voting) =>
        ml.MulticlassClassification.Trainers.VotingEnsemble([Cnn(ml, CnnArchitectures.SeedNet, 1), Cnn(ml, CnnArchitectures.Mlp300, 2)], voting);

    [Test]
    public void Cnn_OnKeyedRows_PassesConformance()
    {
        var ml = new MLContext(seed: 1);
        var keyed = PipelineData.Keyed(ml, Raw(ml));

        var rows = EstimatorConformance.Check<KeyedDigit, KeyedPrediction>(Cnn(ml, CnnArchitectures.SeedNet, 1), keyed);

        Assert.That(rows.Select(r => ((float[])r["Score"]!).Sum()), Has.All.EqualTo(1f).Within(1e-5f));
        Assert.That(rows.Select(r => (uint)r["PredictedLabel"]!), Has.All.InRange(1u, 10u));
    }

    [Test]
    public void Cnn_InTheIssuesChain_PassesConformance()
    {
        var ml = new MLContext(seed: 1);

        var rows = EstimatorConformance.Check<DigitInput, DigitPrediction>(IssueChain(ml, Cnn(ml, CnnArchitectures.SeedNet, 1)), Raw(ml));

        Assert.That(rows.Select(r => (float)r["PredictedLabel"]!), Has.All.InRange(0f, 9f));
    }

    [TestCase(VotingKind.Soft)]
    [TestCase(VotingKind.Hard)]
    public void VotingEnsemble_OnKeyedRows_PassesConformance(VotingKind voting)
    {
        var ml = new MLContext(seed: 1);
        var keyed = PipelineData.Keyed(ml, Raw(ml));

        var rows = EstimatorConformance.Check<KeyedDigit, KeyedPrediction>(Ensemble(ml, voting), keyed);

        Assert.That(rows.Select(r => ((float[])r["Score"]!).Sum()), Has.All.EqualTo(1f).Within(1e-5f));
    }

    [TestCase(VotingKind.Soft)]
    [TestCase(VotingKind.Hard)]
    public void VotingEnsemble_InTheIssuesChain_PassesConformance(VotingKind voting)
    {
        var ml = new MLContext(seed: 1);

        EstimatorConformance.Check<DigitInput, DigitPrediction>(IssueChain(ml, Ensemble(ml, voting)), Raw(ml));
    }

    /// <summary>NormalizeDigit's input: a row of the photo folder after <c>LoadImages</c>.</summary>
    public sealed class PhotoWithImage
    {
        public float Label { get; set; }

        public string ImagePath { get; set; } = "";

        [Transforms.NormalizeDigitMapping.AnyImageSize]
        public MLImage? Image { get; set; }
    }

    /// <summary>A row of the photo folder.</summary>
    public sealed class Photo
    {
        public float Label { get; set; }

        public string ImagePath { get; set; } = "";
    }

    /// <summary>What NormalizeDigit adds.</summary>
    public sealed class DigitFeatures
    {
        [VectorType(1, 28, 28)]
        public float[] Features { get; set; } = [];
    }

    [Test]
    public void NormalizeDigit_OnLoadedImages_PassesConformance()
    {
        var ml = new MLContext(seed: 1);
        var photos = ml.Data.LoadFromImageFolder(ImageFixtures.Digits);
        var images = ml.Transforms.LoadImages("Image", imageFolder: null, inputColumnName: "ImagePath").Fit(photos).Transform(photos);

        var rows = EstimatorConformance.Check<PhotoWithImage, DigitFeatures>(ml.Transforms.NormalizeDigit(), images,
            prepareInput: photo => new PhotoWithImage { Label = photo.Label, ImagePath = photo.ImagePath, Image = MLImage.CreateFromFile(photo.ImagePath) });

        var features = rows.Select(r => (float[])r["Features"]!).ToList();
        Assert.That(features, Has.All.Length.EqualTo(784));
        Assert.That(features.SelectMany(f => f), Has.All.InRange(0f, 1f));
        Assert.That(features.Select(f => f.Max()), Has.All.EqualTo(1f), "every photo has ink, stretched to 1");
    }

    [TestCase(DigitInk.Auto)]
    [TestCase(DigitInk.DarkOnLight)]
    [TestCase(DigitInk.LightOnDark)]
    public void NormalizeDigit_AfterLoadImagesInOneChain_PassesConformance(DigitInk ink)
    {
        var ml = new MLContext(seed: 1);
        var photos = ml.Data.LoadFromImageFolder(ImageFixtures.Digits);
        var chain = ml.Transforms.LoadImages("Image", imageFolder: null, inputColumnName: "ImagePath")
            .Append(ml.Transforms.NormalizeDigit("Pixels", "Image", ink));

        var rows = EstimatorConformance.Check<Photo, PixelsRow>(chain, photos);

        Assert.That(rows, Has.Count.EqualTo(PipelineData.CountRows(photos)));
    }

    /// <summary>NormalizeDigit's output under another name.</summary>
    public sealed class PixelsRow
    {
        [VectorType(1, 28, 28)]
        public float[] Pixels { get; set; } = [];
    }

    [Test]
    public void Cnn_WithTrainTestSplitEvaluateAndCrossValidate_Works()
    {
        var ml = new MLContext(seed: 1);

        EstimatorConformance.CheckWithMLNetEvaluation(IssueChain(ml, Cnn(ml, CnnArchitectures.SeedNet, 1)), Raw(ml), minimumAccuracy: 0.7);
    }

    [TestCase(VotingKind.Soft)]
    [TestCase(VotingKind.Hard)]
    public void VotingEnsemble_WithTrainTestSplitEvaluateAndCrossValidate_Works(VotingKind voting)
    {
        var ml = new MLContext(seed: 1);

        EstimatorConformance.CheckWithMLNetEvaluation(IssueChain(ml, Ensemble(ml, voting)), Raw(ml), minimumAccuracy: 0.7);
    }
}
