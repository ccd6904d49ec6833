// DigitClassifierTests.cs — DigitClassifier: classes established once, the model's own answer, one decode path with the
// pixel limit checked from the header, refusal of models whose scores cannot be tied to classes.
using System.Diagnostics;
using DigitsML.Testing;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DigitsML.Scoring.Tests.Scoring;

[TestFixture]
public sealed class DigitClassifierTests
{
    private const int Images = 200;

    [Test]
    public void Load_DigitsModel_ClassesAreTheTenDigitsInOrder()
    {
        using var classifier = DigitClassifier.Load(Fixtures.File("reading-model.zip"));
        Assert.That(classifier.Classes, Is.EqualTo(Enumerable.Range(0, 10).Select(d => d.ToString())));
        Assert.That(classifier.ModelPath, Is.EqualTo(Path.GetFullPath(Fixtures.File("reading-model.zip"))));
    }

    [Test]
    public void Load_Stream_SameClassesAndAnswersAsFromTheFile()
    {
        using var fromFile = DigitClassifier.Load(Fixtures.File("reading-model.zip"));
        using var stream = new MemoryStream(File.ReadAllBytes(Fixtures.File("reading-model.zip")));
        using var fromStream = DigitClassifier.Load(stream);
        var features = DigitFeatures.FromImageFile(Fixtures.Photos[0]);
        Assert.That(fromStream.ModelPath, Is.Null);
        Assert.That(fromStream.Classes, Is.EqualTo(fromFile.Classes));
        Assert.That(fromStream.Predict(features).Probabilities, Is.EqualTo(fromFile.Predict(features).Probabilities));
    }

    [Test]
    public void Dispose_ClassifierOverCallersModel_LeavesTheModelUsable()
    {
        var ml = new MLContext();
        using var model = (IDisposable)ml.Model.LoadDigitsModel(Fixtures.File("reading-model.zip"), out _);
        var features = DigitFeatures.FromImageFile(Fixtures.Photos[0]);
        var first = new DigitClassifier((ITransformer)model);
        var expected = first.Predict(features).Probabilities;
        first.Dispose();
        using var second = new DigitClassifier((ITransformer)model);
        Assert.That(second.Predict(features).Probabilities, Is.EqualTo(expected));
    }

    [Test]
    public void Predict_MnistTestImages_AnswerIsTheModelsPredictedLabelWithItsScore()
    {
        var ml = new MLContext();
        using var classifier = DigitClassifier.Load(Fixtures.File("reading-model.zip"));
        var data = ml.Data.TakeRows(ml.Data.LoadFromIdx(TestData.TestImages, TestData.TestLabels), Images);
        var scored = classifier.Model.Transform(data);
        bool key = scored.Schema["PredictedLabel"].Type is KeyDataViewType;
        var predicted = PredictedValues(ml, scored, valueAtEnd: !key);
        var scores = scored.GetColumn<float[]>("Score").ToList();
        var inputs = ml.Data.CreateEnumerable<DigitInput>(data, reuseRowObject: false).ToList();
        int right = 0;
        for (int i = 0; i < Images; i++)
        {
            var answer = classifier.Predict(inputs[i].Features);
            Assert.That(answer.Digit, Is.EqualTo((int)predicted[i]), $"image {i}");
            Assert.That(answer.Probabilities, Is.EqualTo(scores[i]), $"image {i}: slot names are 0 … 9 in order");
            Assert.That(answer.Probability, Is.EqualTo(scores[i][answer.Digit!.Value]));
            Assert.That(answer.RunnerUp, Is.Not.EqualTo(answer.Class));
            Assert.That(answer.RunnerUpProbability, Is.EqualTo(answer.Probabilities.Where((_, c) => c != answer.Digit).Max()));
            right += answer.Digit == (int)inputs[i].Label ? 1 : 0;
        }
        Assert.That(right, Is.GreaterThan(Images * 9 / 10), "the shipped reading model reads MNIST");
    }

    [Test]
    public void Predict_SeveralThreads_SameAnswersAsOneThread()
    {
        var ml = new MLContext();
        using var classifier = DigitClassifier.Load(Fixtures.File("reading-model.zip"));
        var inputs = ml.Data.CreateEnumerable<DigitInput>(
            ml.Data.TakeRows(ml.Data.LoadFromIdx(TestData.TestImages, TestData.TestLabels), 64), reuseRowObject: false).ToList();
        var alone = inputs.Select(i => classifier.Predict(i.Features)).ToList();
        var together = new DigitScores[inputs.Count];
        Parallel.For(0, inputs.Count, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => together[i] = classifier.Predict(inputs[i].Features));
        for (int i = 0; i < inputs.Count; i++)
            Assert.That(together[i].Probabilities, Is.EqualTo(alone[i].Probabilities), $"image {i}");
    }

    [Test]
    public void Predict_WrongFeatureCount_ThrowsArgumentException()
    {
        using var classifier = DigitClassifier.Load(Fixtures.File("reading-model.zip"));
        Assert.Throws<ArgumentException>(() => classifier.Predict(new float[783]));
    }

    [Test]
    public void PredictFile_Photo_SameAsFeaturesOfTheSameBytes()
    {
        using var classifier = DigitClassifier.Load(Fixtures.File("reading-model.zip"));
        string photo = Fixtures.Photos[0];
        var fromFile = classifier.PredictFile(photo);
        var fromBytes = classifier.PredictImage(File.ReadAllBytes(photo));
        var fromFeatures = classifier.Predict(DigitFeatures.FromImage(File.ReadAllBytes(photo)));
        Assert.That(fromFile.Probabilities, Is.EqualTo(fromBytes.Probabilities));
        Assert.That(fromFile.Probabilities, Is.EqualTo(fromFeatures.Probabilities));
    }

    [Test]
    public void PredictFile_PngClaiming100000By100000_RefusedInUnderASecondNamingFileAndSize()
    {
        using var folder = new TemporaryDirectory();
        string bomb = HostileFiles.PngBomb(Path.Combine(folder.Path, "bomb.png"));
        using var classifier = DigitClassifier.Load(Fixtures.File("reading-model.zip"));
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        var e = Assert.Throws<DataFormatException>(() => classifier.PredictFile(bomb));
        clock.Stop();
        Assert.That(new FileInfo(bomb).Length, Is.LessThan(100), "the bomb is a few dozen bytes");
        Assert.That(e!.FilePath, Is.EqualTo(bomb));
        Assert.That(e.Message, Does.StartWith(bomb).And.Contain("100000 × 100000"));
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(1)));
        Assert.That(GC.GetTotalAllocatedBytes(precise: true) - before, Is.LessThan(1 << 20), "nothing was allocated for its pixels");
    }

    [Test]
    public void PredictFile_MissingFile_DataFormatExceptionNamingIt()
    {
        using var classifier = DigitClassifier.Load(Fixtures.File("reading-model.zip"));
        string missing = Path.Combine(Path.GetTempPath(), $"digitsml-absent-{Guid.NewGuid():N}.png");
        var e = Assert.Throws<DataFormatException>(() => classifier.PredictFile(missing));
        Assert.That(e!.Message, Is.EqualTo($"{missing}: the file does not exist"));
    }

    [Test]
    public void PredictImage_TruncatedPng_RefusedAsTheOneDecodeRuleSays()
    {
        using var classifier = DigitClassifier.Load(Fixtures.File("reading-model.zip"));
        var e = Assert.Throws<DataFormatException>(() => classifier.PredictImage(File.ReadAllBytes(Fixtures.File("corrupt/truncated.png"))));
        Assert.That(e!.Message, Does.Contain("truncated or damaged"));
    }

    [Test]
    public void Ctor_ScoreWithoutSlotNamesOrKeyValues_RefusedNamingTheCause()
    {
        var ml = new MLContext();
        var input = ml.Data.LoadFromEnumerable(Array.Empty<DigitInput>());
        var model = ml.Transforms.CopyColumns("Score", "Features").Fit(input);
        var e = Assert.Throws<DataFormatException>(() => new DigitClassifier(model));
        Assert.That(e!.Message, Does.Contain("order of its 784 classes cannot be established"));
    }

    [Test]
    public void Ctor_NoScoreColumn_RefusedAsNotAClassifier()
    {
        var ml = new MLContext();
        var model = ml.Transforms.CopyColumns("Other", "Features").Fit(ml.Data.LoadFromEnumerable(Array.Empty<DigitInput>()));
        var e = Assert.Throws<DataFormatException>(() => new DigitClassifier(model));
        Assert.That(e!.Message, Does.Contain("no Score column"));
    }

    [TestCase(false, TestName = "Predict_OccurrenceOrderedSdcaModel_AgreesWithEvaluate")]
    [TestCase(true, TestName = "Predict_OccurrenceOrderedSdcaModelEndingInMapKeyToValue_AgreesWithEvaluate")]
    public void Predict_OccurrenceOrderedSdcaModel_AgreesWithEvaluate(bool valueAtEnd)
    {
        using var folder = new TemporaryDirectory();
        string path = OccurrenceOrderedModel.Save(Path.Combine(folder.Path, "sdca.zip"), valueAtEnd: valueAtEnd);
        var ml = new MLContext();
        using var classifier = DigitClassifier.Load(path);
        var data = ml.Data.TakeRows(ml.Data.LoadFromIdx(TestData.TestImages, TestData.TestLabels), Images);
        float[] keyOrder = OccurrenceOrderedModel.KeyValues(classifier.Model, data);
        Assert.That(keyOrder, Is.Not.Ordered, "the label keys are in occurrence order, so slot i is not the digit i");
        Assert.That(classifier.Classes, Is.EqualTo(Enumerable.Range(0, 10).Select(d => d.ToString())));

        var scored = classifier.Model.Transform(data);
        double accuracy = valueAtEnd ? double.NaN : ml.MulticlassClassification.Evaluate(scored).MicroAccuracy;
        var rows = ml.Data.CreateEnumerable<DigitInput>(data, reuseRowObject: false).ToList();
        var predicted = PredictedValues(ml, scored, valueAtEnd);
        int right = 0;
        for (int i = 0; i < rows.Count; i++)
        {
            var answer = classifier.Predict(rows[i].Features);
            Assert.That(answer.Digit, Is.EqualTo((int)predicted[i]), $"image {i}: the model's own PredictedLabel");
            right += answer.Digit == (int)rows[i].Label ? 1 : 0;
        }
        if (!valueAtEnd)
            Assert.That((double)right / rows.Count, Is.EqualTo(accuracy).Within(1e-9), "the same accuracy as ML.NET's Evaluate");
        Assert.That(right, Is.GreaterThan(rows.Count / 2), "a real model, not chance");
    }

    private static float[] PredictedValues(MLContext ml, IDataView scored, bool valueAtEnd)
    {
        if (!valueAtEnd)
            scored = ml.Transforms.Conversion.MapKeyToValue("PredictedValue", "PredictedLabel").Fit(scored).Transform(scored);
        string column = valueAtEnd ? "PredictedLabel" : "PredictedValue";
        return [.. scored.GetColumn<float>(column)];
    }
}
