// LineReaderTests.cs — the line reader's training side: the numbers it is made from, its ONNX export scored through
// ML.NET against the TorchSharp network, and a tiny training run whose saved reader loads and reads.
using DigitsML.Engine;
using DigitsML.Reading;
using TorchSharp;
using static TorchSharp.torch;

namespace DigitsML.Tests.Reading;

[TestFixture]
public class LineReaderTests
{
    private static NumberSynthesizer Synthesizer => new(TestData.MnistTrain, 0, 55_000);

    [Test]
    public void Synthesizer_SameSeed_SameExamples()
    {
        var a = Synthesizer.Make(new Random(5))!.Value;
        var b = Synthesizer.Make(new Random(5))!.Value;
        Assert.That(b.Text, Is.EqualTo(a.Text));
        Assert.That(b.Line.Pixels, Is.EqualTo(a.Line.Pixels));
    }

    [Test]
    public void Synthesizer_Examples_AreStripsOfTheReadersHeightWithTheirDigits()
    {
        var rng = new Random(11);
        int made = 0;
        for (int i = 0; i < 200; i++)
        {
            if (Synthesizer.Make(rng) is not { } example)
                continue;
            made++;
            Assert.That(example.Text, Has.Length.InRange(1, NumberSynthesizer.MaxDigits).And.Match("^[0-9]+$"));
            Assert.That(example.Line.Pixels, Has.Length.EqualTo(NumberLine.Height * example.Line.Width));
            Assert.That(example.Line.Pixels.All(v => v is >= 0 and <= 1), "ink strength is in [0, 1]");
        }
        Assert.That(made, Is.GreaterThan(190), "the line finder finds nearly every number made");
    }

    [Test]
    public void Synthesizer_DigitsOutsideTheTrainingSet_Refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new NumberSynthesizer(TestData.MnistTrain, 59_000, 2_000));
    }

    [Test]
    public void Export_ScoredThroughMLNet_GivesTheNetworksFrames()
    {
        TorchRuntime.EnsureInitialized();
        random.manual_seed(3);
        using var generator = new Generator(3);
        using var network = new LineReaderNetwork(generator);
        var lines = Enumerable.Range(0, 6).Select(i => Synthesizer.Make(new Random(100 + i))).OfType<(NumberLine Line, string Text)>().ToList();
        // A few batches in training mode move BatchNorm's running statistics away from their initial values.
        using (no_grad())
            foreach (var line in lines)
                network.forward(tensor(line.Line.Pixels, [1, 1, NumberLine.Height, line.Line.Width]).repeat(2, 1, 1, 1)).Dispose();
        network.eval();
        string path = Path.Combine(Path.GetTempPath(), $"digitsml-reader-{Guid.NewGuid():N}.zip");
        try
        {
            LineReader.SaveOnnx(network.ToOnnx(LineReader.InputColumn, LineReader.OutputColumn, "test"), path);
            var ml = new MLContext();
            var model = ml.Model.LoadDigitsModel(path, out _);
            var reader = new LineReader(model);
            foreach (var (line, _) in lines)
            {
                float[] expected;
                using (no_grad())
                using (var frames = network.forward(tensor(line.Pixels, [1, 1, NumberLine.Height, line.Width])).squeeze(2).softmax(1).permute(0, 2, 1).contiguous())
                    expected = frames.data<float>().ToArray();
                float[] actual = reader.Frames(line);
                Assert.That(actual, Has.Length.EqualTo(line.Width / FrameDecoder.FrameWidth * FrameDecoder.Classes));
                Assert.That(actual, Is.EqualTo(expected).Within(2e-4f), $"a strip of {line.Width} columns");
            }
            (model as IDisposable)?.Dispose();
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void Train_TinyRun_SavesAReaderThatLoadsAndReads()
    {
        string folder = Directory.CreateTempSubdirectory("digitsml-reader-").FullName;
        try
        {
            string path = Path.Combine(folder, "reader.zip");
            var options = new NumberReaderTrainer.Options { Steps = 3, BatchSize = 4, ValidationNumbers = 8, ValidateEvery = 2 };
            var reports = new List<NumberReaderProgress>();
            var best = NumberReaderTrainer.Train(TestData.TrainImages, TestData.TrainLabels, path, options,
                Path.Combine(folder, "checkpoint.json"), new SyncProgress(reports.Add));
            Assert.That(reports.Select(r => r.Step), Is.EqualTo(new[] { 2, 3 }));
            Assert.That(best.ValidationAccuracy, Is.InRange(0.0, 1.0));
            Assert.That(File.Exists(path));
            var ml = new MLContext();
            var model = ml.Model.LoadDigitsModel(path, out _);
            var reader = new NumberReader(model);
            Assert.That(reader.ReadsWholeLines);
            var (line, _) = Synthesizer.Make(new Random(1))!.Value;
            var gray = line.Pixels.Select(v => 1 - v).ToArray();
            var reading = reader.Read(new DigitsML.Imaging.GrayImage(line.Width, NumberLine.Height, gray));
            Assert.That(reading.Digits.All(d => d.Value.Length == 1 && char.IsDigit(d.Value[0])));
            Assert.That(reading.Digits.Count > 0 || reading.Reason is not null, "a reading has digits or says why not");
            // Resuming from the finished run's checkpoint trains no further step.
            var resumed = NumberReaderTrainer.Train(TestData.TrainImages, TestData.TrainLabels, path, options, Path.Combine(folder, "checkpoint.json"));
            Assert.That(resumed.Step, Is.EqualTo(3));
            (model as IDisposable)?.Dispose();
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public void Train_CheckpointOfAnotherRecipe_RefusedNamingIt()
    {
        string folder = Directory.CreateTempSubdirectory("digitsml-reader-").FullName;
        try
        {
            string checkpoint = Path.Combine(folder, "checkpoint.json");
            var options = new NumberReaderTrainer.Options { Steps = 1, BatchSize = 2, ValidationNumbers = 4, ValidateEvery = 1 };
            NumberReaderTrainer.Train(TestData.TrainImages, TestData.TrainLabels, Path.Combine(folder, "a.zip"), options, checkpoint);
            var e = Assert.Throws<ArgumentException>(() => NumberReaderTrainer.Train(TestData.TrainImages, TestData.TrainLabels,
                Path.Combine(folder, "b.zip"), options with { Seed = 2 }, checkpoint));
            Assert.That(e!.Message, Does.Contain(checkpoint).And.Contain("another recipe"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public void Options_OutOfRange_RefusedNamingTheSetting()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => NumberReaderTrainer.Train(TestData.TrainImages, TestData.TrainLabels,
            "x.zip", new NumberReaderTrainer.Options { BatchSize = 0 }));
        Assert.That(e!.ParamName, Is.EqualTo("BatchSize"));
    }

    private sealed class SyncProgress(Action<NumberReaderProgress> report) : IProgress<NumberReaderProgress>
    {
        public void Report(NumberReaderProgress value) => report(value);
    }
}
