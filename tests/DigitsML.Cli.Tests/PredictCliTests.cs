// PredictCliTests.cs — `digits predict` on image files: the photo folder with its count right, --json, the scores of
// LoadImages → NormalizeDigit → the model, unreadable input named on one line while the rest is still predicted, a
// PNG whose header claims 100000 × 100000 refused at once, the shipped classifier when no model is given and --model.
// IDX inputs and other models: PredictIdxCliTests.
using System.Text.Json;
using System.Text.RegularExpressions;

namespace DigitsML.Cli.Tests;

[TestFixture]
[NonParallelizable]
public sealed partial class PredictCliTests
{
    [GeneratedRegex(@"^(?<right>\d+) of (?<labelled>\d+) labelled images right \(")]
    private static partial Regex CountRight();

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private sealed class ScoreRow
    {
        public float[] Score { get; set; } = [];
    }

    [Test]
    public void Predict_PhotoFolder_OneLinePerDecodablePhotoWithRunnerUpAndCountRight()
    {
        int photos = Photos.Decoded.Count;
        Assert.That(photos, Is.GreaterThanOrEqualTo(10), "the fixture folder holds PNG and BMP photos");

        var result = DigitsTool.Run("predict", TrainedModels.Classic, Photos.Digits);

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(result.Error, Is.Empty, "PGM files in a folder are skipped, as LoadFromImageFolder skips them");
        var lines = Lines(result.Output);
        Assert.That(lines, Has.Length.EqualTo(photos + 2), "header, one line per photo, count right");
        Assert.That(lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries),
            Is.EqualTo(new[] { "input", "digit", "probability", "runner-up", "probability", "label" }));
        var rows = lines[1..^1].Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        Assert.That(rows.Select(r => Path.GetFullPath(r[0])), Is.EqualTo(Photos.Decoded), "every PNG and BMP photo, sorted by path");
        Assert.That(rows.Select(r => Path.GetFileName(Path.GetDirectoryName(r[0]))), Is.EqualTo(rows.Select(r => r[^1])), "the folder is the label");
        // path, digit, "p %", runner-up, "p %", label
        Assert.That(rows, Has.All.Length.EqualTo(8));
        Assert.That(rows.Select(r => r[1] != r[4]), Has.All.True, "the runner-up is another digit");
        var count = CountRight().Match(lines[^1]);
        Assert.That(count.Success, Is.True, lines[^1]);
        Assert.That(count.Groups["labelled"].Value, Is.EqualTo($"{photos}"));
        Assert.That(int.Parse(count.Groups["right"].Value), Is.EqualTo(rows.Count(r => r[1] == r[^1])));
    }

    [Test]
    public void Predict_Photos_ScoresAsLoadImagesNormalizeDigitAndTheModelFile()
    {
        var result = DigitsTool.Run("predict", TrainedModels.Classic, Photos.Digits, "--json");

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        using var json = JsonDocument.Parse(result.Output);
        var printed = json.RootElement.GetProperty("predictions").EnumerateArray()
            .Select(p => p.GetProperty("scores").EnumerateArray().Select(s => s.GetSingle()).ToArray()).ToList();
        // What issue 11's photo program does with the same files.
        var ml = new MLContext();
        var model = ml.Model.Load(TrainedModels.Classic, out _);
        var photos = ml.Data.LoadFromImageFolder(Photos.Digits);
        var read = ml.Transforms.LoadImages("Image", imageFolder: null, inputColumnName: "ImagePath").Append(ml.Transforms.NormalizeDigit("Features", "Image"));
        var expected = ml.Data.CreateEnumerable<ScoreRow>(model.Transform(read.Fit(photos).Transform(photos)), reuseRowObject: false)
            .Select(r => r.Score).ToList();
        (model as IDisposable)?.Dispose();

        Assert.That(printed, Has.Count.EqualTo(expected.Count));
        for (int i = 0; i < expected.Count; i++)
            Assert.That(printed[i], Is.EqualTo(expected[i]).Within(1e-6f), $"photo {i}");
    }

    [Test]
    public void Predict_FolderNamedByADigitAndAFileInOne_LabelledByThoseFolders()
    {
        string seven = Path.Combine(Photos.Digits, "7");
        int sevens = Photos.Decoded.Count(p => Path.GetDirectoryName(p) == seven);

        var result = DigitsTool.Run("predict", TrainedModels.Classic, seven, Path.Combine(Photos.Digits, "2", "photo1.png"), "--json");

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        using var json = JsonDocument.Parse(result.Output);
        var labels = json.RootElement.GetProperty("predictions").EnumerateArray().Select(p => p.GetProperty("label").GetString());
        Assert.That(labels, Is.EqualTo(Enumerable.Repeat("7", sevens).Append("2")));
    }

    [Test]
    public void Predict_Json_ParsesWithEveryPhotoAndItsScores()
    {
        var result = DigitsTool.Run("predict", TrainedModels.Classic, Photos.Digits, "--json");

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        using var json = JsonDocument.Parse(result.Output);
        var root = json.RootElement;
        Assert.That(root.GetProperty("model").GetString(), Is.EqualTo(TrainedModels.Classic));
        Assert.That(root.GetProperty("classes").EnumerateArray().Select(c => c.GetString()), Is.EqualTo(Enumerable.Range(0, 10).Select(d => $"{d}")));
        var predictions = root.GetProperty("predictions").EnumerateArray().ToList();
        Assert.That(predictions, Has.Count.EqualTo(Photos.Decoded.Count));
        foreach (var p in predictions)
        {
            var scores = p.GetProperty("scores").EnumerateArray().Select(s => s.GetDouble()).ToList();
            Assert.That(scores, Has.Count.EqualTo(10));
            Assert.That(scores.Sum(), Is.EqualTo(1).Within(1e-4));
            Assert.That(p.GetProperty("probability").GetDouble(), Is.EqualTo(scores.Max()).Within(1e-6));
            Assert.That(p.GetProperty("runnerUp").GetString(), Is.Not.EqualTo(p.GetProperty("digit").GetString()));
            Assert.That(p.GetProperty("right").GetBoolean(), Is.EqualTo(p.GetProperty("digit").GetString() == p.GetProperty("label").GetString()));
        }
        Assert.That(root.GetProperty("labelled").GetInt32(), Is.EqualTo(predictions.Count));
        Assert.That(root.GetProperty("right").GetInt32(), Is.EqualTo(predictions.Count(p => p.GetProperty("right").GetBoolean())));
        Assert.That(root.GetProperty("failed").GetArrayLength(), Is.Zero);
    }

    [Test]
    public void Predict_CorruptImageAmongGoodOnes_NamesItOnOneLinePredictsTheOthersAndExits1()
    {
        string folder = Directory.CreateDirectory(TrainedModels.PathTo("mixed")).FullName;
        string three = Directory.CreateDirectory(Path.Combine(folder, "3")).FullName;
        File.Copy(Path.Combine(Photos.Digits, "3", "photo0.png"), Path.Combine(three, "a.png"), overwrite: true);
        File.Copy(Path.Combine(Photos.Digits, "3", "photo2.bmp"), Path.Combine(three, "c.bmp"), overwrite: true);
        string corrupt = Path.Combine(three, "b.png");
        File.WriteAllBytes(corrupt, [0x89, (byte)'P', (byte)'N', (byte)'G', 1, 2, 3]);

        var result = DigitsTool.Run("predict", TrainedModels.Classic, folder);

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(Lines(result.Error), Is.EqualTo(new[]
        {
            $"digits: error: {corrupt}: not an image LoadImages decodes (PNG, JPEG, BMP, GIF, WebP)",
        }));
        var lines = Lines(result.Output);
        Assert.That(lines, Has.Length.EqualTo(4), "header, the two readable photos, count right");
        Assert.That(lines[1], Does.Contain("a.png"));
        Assert.That(lines[2], Does.Contain("c.bmp"));
        Assert.That(lines[3], Does.Match(@" of 2 labelled images right"));
    }

    [Test]
    public void Predict_PngClaiming100000By100000_RefusedOnOneLineNamingFileAndSizeWhileOthersArePredicted()
    {
        using var folder = new TemporaryDirectory();
        string bomb = HostileFiles.PngBomb(Path.Combine(folder.Path, "bomb.png"));
        string model = TrainedModels.Classic; // trained on first use: not part of the time measured
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var result = DigitsTool.Run("predict", model, bomb, Path.Combine(Photos.Digits, "2", "photo1.png"));

        clock.Stop();
        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(Lines(result.Error), Is.EqualTo(new[]
        {
            $"digits: error: {bomb}: 100000 × 100000 pixels is more than the 67,108,864 NormalizeDigit reads",
        }));
        Assert.That(Lines(result.Output), Has.Length.EqualTo(3), "header, the PNG photo, count right");
        // The first edition decoded it: 9.9 GB and 54 s. Model loading and the process start take most of this bound.
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(30)));
    }

    [Test]
    public void Predict_PgmFileByName_RefusedOnOneLineNamingTheFormatsThatAreRead()
    {
        // A real binary PGM (P5, 2 × 2, 8-bit): the format the first edition read and ImageAnalytics does not.
        using var folder = new TemporaryDirectory();
        string pgm = Path.Combine(folder.Path, "photo.pgm");
        File.WriteAllBytes(pgm, [.. "P5\n2 2\n255\n"u8, 0, 255, 255, 0]);

        var result = DigitsTool.Run("predict", TrainedModels.Classic, pgm, Path.Combine(Photos.Digits, "2", "photo1.png"));

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(Lines(result.Error), Is.EqualTo(new[]
        {
            $"digits: error: {pgm}: PGM images are not decoded; convert it to one of .png, .jpg, .jpeg, .bmp, .gif, .webp",
        }));
        Assert.That(Lines(result.Output), Has.Length.EqualTo(3), "header, the PNG photo, count right");
    }

    [Test]
    public void Predict_MissingInput_OneLineNamingItAndExit1()
    {
        string absent = TrainedModels.PathTo("no-such-photo.png");

        var result = DigitsTool.Run("predict", TrainedModels.Classic, absent);

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(Lines(result.Error), Is.EqualTo(new[] { $"digits: error: {absent}: no such file or folder" }));
        Assert.That(result.Output, Is.Empty);
    }

    [Test]
    public void Predict_MissingModel_OneLineNamingItAndExit1()
    {
        var result = DigitsTool.Run("predict", TrainedModels.PathTo("absent-model.zip"), Photos.Digits);

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(Lines(result.Error), Has.Length.EqualTo(1));
        Assert.That(result.Error, Does.StartWith("digits: error: file not found:").And.Contain("absent-model.zip"));
    }

    [Test]
    public void Predict_NoModel_MnistPng_TheShippedClassifierPredictsAsInProcessAndIsNamed()
    {
        using var folder = new TemporaryDirectory();
        string png = MnistTestPng(Path.Combine(folder.Path, "mnist0.png"), 0);
        string label = ReadCliTests.ShippedLabel(PretrainedModels.Digits);

        var text = DigitsTool.Run("predict", png);
        var json = DigitsTool.Run("predict", png, "--json");

        Assert.That(text.ExitCode, Is.Zero, text.Error);
        var lines = Lines(text.Output);
        Assert.That(lines, Has.Length.EqualTo(3), "the model, the header, the PNG");
        Assert.That(lines[0], Does.StartWith($"model: {label} "));
        Assert.That(lines[1], Does.StartWith("input"));
        Assert.That(lines[2], Does.StartWith(png));
        Assert.That(json.ExitCode, Is.Zero, json.Error);
        using var document = JsonDocument.Parse(json.Output);
        Assert.That(document.RootElement.GetProperty("model").GetString(), Is.EqualTo(label));
        var prediction = document.RootElement.GetProperty("predictions").EnumerateArray().Single();
        // The shipped model is provisional until build/train-pretrained.sh installs the trained one: no digit is asserted,
        // only that the tool says what DigitClassifier over the shipped model says.
        using var classifier = DigitClassifier.Load(PretrainedModels.Open(PretrainedModels.Digits));
        var expected = classifier.PredictFile(png);
        Assert.That(prediction.GetProperty("digit").GetString(), Is.EqualTo(expected.Class));
        Assert.That(prediction.GetProperty("scores").EnumerateArray().Select(s => s.GetSingle()), Is.EqualTo(expected.Probabilities).Within(1e-6f));
    }

    [Test]
    public void Predict_ModelOption_SameAsTheModelAsFirstArgument()
    {
        string photo = Path.Combine(Photos.Digits, "2", "photo1.png");

        var first = DigitsTool.Run("predict", TrainedModels.Classic, photo, "--json");
        var option = DigitsTool.Run("predict", "--model", TrainedModels.Classic, photo, "--json");
        var twice = DigitsTool.Run("predict", "--model", TrainedModels.Classic, TrainedModels.Classic, photo);

        Assert.That(option.ExitCode, Is.Zero, option.Error);
        Assert.That(option.Output, Is.EqualTo(first.Output));
        Assert.That(JsonDocument.Parse(option.Output).RootElement.GetProperty("model").GetString(), Is.EqualTo(TrainedModels.Classic));
        Assert.That(twice.ExitCode, Is.EqualTo(2));
        Assert.That(twice.Error, Does.Contain("give the model once"));
    }

    /// <summary>Writes MNIST test image <paramref name="index"/> as a 28 × 28 grey PNG (ink bright on dark, as MNIST is).</summary>
    private static string MnistTestPng(string path, int index)
    {
        byte[] idx = File.ReadAllBytes(MnistFiles.TestImages);
        using var bitmap = new SkiaSharp.SKBitmap(new SkiaSharp.SKImageInfo(28, 28, SkiaSharp.SKColorType.Gray8, SkiaSharp.SKAlphaType.Opaque));
        System.Runtime.InteropServices.Marshal.Copy(idx, 16 + index * 784, bitmap.GetPixels(), 784);
        using var data = bitmap.Encode(SkiaSharp.SKEncodedImageFormat.Png, 100);
        File.WriteAllBytes(path, data.ToArray());
        return path;
    }

    [Test]
    public void Predict_NoInput_UsageErrorOnOneLineAndExit2()
    {
        var result = DigitsTool.Run("predict", TrainedModels.Classic);

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(Lines(result.Error), Has.Length.EqualTo(1));
        Assert.That(result.Error, Does.StartWith("digits: error:").And.Contain("digits predict --help"));
        Assert.That(result.Output, Is.Empty);
    }
}
