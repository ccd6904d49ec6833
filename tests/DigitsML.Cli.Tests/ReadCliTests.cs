// ReadCliTests.cs — `digits read` on numbers made by bench/numbers/make_numbers.py: the same numbers, confidences and
// boxes as NumberReader in-process, the text table, uncertain digits marked, and bad input named on one line each while
// the other images are still read; without --model, the line reader shipped with DigitsML, named in the output.
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace DigitsML.Cli.Tests;

[TestFixture]
[NonParallelizable]
public sealed class ReadCliTests
{
    private const int Count = 6;
    private TemporaryDirectory folder = null!;
    private string images = "";

    [OneTimeSetUp]
    public void MakeNumbers()
    {
        folder = new TemporaryDirectory();
        string script = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "bench", "numbers", "make_numbers.py"));
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string a in new[] { script, "--mnist", MnistFiles.Directory, "--out", Path.Combine(folder.Path, "set"), "--count", $"{Count}" })
            start.ArgumentList.Add(a);
        using var python = Process.Start(start)!;
        string error = python.StandardError.ReadToEnd();
        python.WaitForExit();
        Assert.That(python.ExitCode, Is.Zero, $"make_numbers.py (needs python3-numpy and python3-pil: build/setup.sh --test): {error}");
        images = Path.Combine(folder.Path, "set", "images");
    }

    [OneTimeTearDown]
    public void RemoveNumbers() => folder.Dispose();

    [Test]
    public void Read_Json_SameAsNumberReaderInProcess()
    {
        var result = DigitsTool.Run("read", "--model", TrainedModels.DigitNet, images, "--json");

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        using var json = JsonDocument.Parse(result.Output);
        var readings = json.RootElement.GetProperty("readings").EnumerateArray().ToList();
        Assert.That(readings, Has.Count.EqualTo(Count));
        Assert.That(json.RootElement.GetProperty("failed").GetArrayLength(), Is.Zero);
        var ml = new MLContext();
        var reader = new NumberReader(ml.Model.Load(TrainedModels.DigitNet, out _));
        foreach (var printed in readings)
        {
            string path = printed.GetProperty("input").GetString()!;
            var expected = reader.ReadFile(path);
            Assert.That(printed.GetProperty("number").GetString(), Is.EqualTo(expected.MarkedText), path);
            Assert.That(printed.GetProperty("text").GetString(), Is.EqualTo(expected.Text), path);
            var digits = printed.GetProperty("digits").EnumerateArray().ToList();
            Assert.That(digits.Select(d => d.GetProperty("confidence").GetSingle()), Is.EqualTo(expected.Confidences), path);
            Assert.That(digits.Select(d => d.GetProperty("uncertain").GetBoolean()), Is.EqualTo(expected.Digits.Select(d => d.Uncertain)), path);
            Assert.That(digits.Select(d => d.GetProperty("box").GetProperty("x").GetInt32()), Is.EqualTo(expected.Digits.Select(d => d.Box.X)), path);
        }
    }

    [Test]
    public void Read_Text_OneLinePerImageWithMarkedNumberAndConfidences()
    {
        var result = DigitsTool.Run("read", "--model", TrainedModels.DigitNet, "--uncertain-below", "0.99", images);

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.That(lines, Has.Length.EqualTo(Count + 2), "header, one line per image, the count");
        Assert.That(lines[0], Does.StartWith("image").And.Contain("number"));
        foreach (string line in lines[1..^1])
        {
            var fields = line.Split("  ", 3, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            string number = fields[1];
            var digits = fields[2].Split(", ");
            Assert.That(digits, Has.Length.EqualTo(number.Length), line);
            for (int i = 0; i < digits.Length; i++)
            {
                float percent = float.Parse(digits[i].Split(' ')[1], CultureInfo.InvariantCulture);
                Assert.That(number[i] == '?', Is.EqualTo(percent < 99), $"'?' exactly where the probability is below 0.99: {line}");
            }
        }
        Assert.That(lines[^1], Does.Match($@"^{Count} number\(s\) read, \d+ with every digit certain$"));
    }

    [Test]
    public void Read_BadInputs_EachNamedOnOneLineOthersStillRead()
    {
        string notImage = Path.Combine(folder.Path, "notes.png");
        File.WriteAllText(notImage, "not an image");
        string blank = Path.Combine(folder.Path, "blank.png");
        // A 40 × 20 PNG of plain grey paper (PIL: Image.new("L", (40, 20), 230)).
        File.WriteAllBytes(blank, Convert.FromBase64String(
            "iVBORw0KGgoAAAANSUhEUgAAACgAAAAUCAAAAADaLSBnAAAAF0lEQVR4nGN8xkAcYCJS3ajCUYXDXCEAI0MBDomEM8gAAAAASUVORK5CYII="));
        string missing = Path.Combine(folder.Path, "missing.jpg");
        string good = Directory.GetFiles(images).Order(StringComparer.Ordinal).First();

        var result = DigitsTool.Run("read", "--model", TrainedModels.DigitNet, notImage, blank, missing, good);

        Assert.That(result.ExitCode, Is.EqualTo(1));
        var errors = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(errors, Has.Length.EqualTo(3), result.Error);
        Assert.That(errors, Has.Some.Contains(notImage).And.Contains("not an image"));
        Assert.That(errors, Has.Some.Contains(blank).And.Contains("no ink"));
        Assert.That(errors, Has.Some.Contains(missing).And.Contains("no such file"));
        Assert.That(errors, Has.All.StartWith("digits: error: "));
        Assert.That(result.Output, Does.Contain(good), "the good image is still read");
    }

    [Test]
    public void Read_WithoutModel_TheShippedLineReaderReadsAsInProcessAndIsNamed()
    {
        string label = ShippedLabel(PretrainedModels.Reader);

        var json = DigitsTool.Run("read", images, "--json");
        var text = DigitsTool.Run("read", images);

        Assert.That(json.ExitCode, Is.Zero, json.Error);
        using var document = JsonDocument.Parse(json.Output);
        Assert.That(document.RootElement.GetProperty("model").GetString(), Is.EqualTo(label));
        var readings = document.RootElement.GetProperty("readings").EnumerateArray().ToList();
        Assert.That(readings, Has.Count.EqualTo(Count));
        // The shipped reader is provisional until build/train-pretrained.sh installs the trained one: no digits are
        // asserted, only that the tool reads what NumberReader over ml.Model.LoadPretrainedReader() reads.
        var reader = new NumberReader(new MLContext().Model.LoadPretrainedReader());
        Assert.That(reader.ReadsWholeLines, Is.True);
        foreach (var printed in readings)
        {
            string path = printed.GetProperty("input").GetString()!;
            var expected = reader.ReadFile(path);
            Assert.That(printed.GetProperty("text").GetString(), Is.EqualTo(expected.Text), path);
            Assert.That(printed.GetProperty("digits").EnumerateArray().Select(d => d.GetProperty("confidence").GetSingle()),
                Is.EqualTo(expected.Confidences), path);
        }
        Assert.That(text.ExitCode, Is.Zero, text.Error);
        var lines = text.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.That(lines[0], Does.StartWith($"model: {label} "), "the text names the shipped reader first");
        Assert.That(lines, Has.Length.EqualTo(Count + 3), "model, header, one line per image, the count");
        Assert.That(text.Output, Does.Not.Contain(".zip"), "no path names the shipped model");
    }

    [Test]
    public void Read_ModelOptionMissingFile_OneLineNamingIt()
    {
        var result = DigitsTool.Run("read", "--model", TrainedModels.PathTo("absent-reader.zip"), images);

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Error, Does.Contain("absent-reader.zip"));
    }

    /// <summary>"pretrained:NAME@" and the first 12 hex digits of the manifest's SHA-256, lower case.</summary>
    internal static string ShippedLabel(string name) =>
        $"pretrained:{name}@{PretrainedModels.Manifest.Models.Single(m => m.Name == name).Sha256[..12].ToLowerInvariant()}";
}
