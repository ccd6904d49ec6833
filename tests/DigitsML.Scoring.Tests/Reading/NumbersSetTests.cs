// NumbersSetTests.cs — the reader on the first numbers of the multi-digit set (bench/numbers/make_numbers.py, made here
// in a temporary folder): whole-number and per-digit accuracy above floors measured with the checked-in model.
using System.Diagnostics;
using DigitsML.Testing;

namespace DigitsML.Scoring.Tests.Reading;

[TestFixture]
public sealed class NumbersSetTests
{
    private const int Count = 24;

    private static string Script => Path.GetFullPath(Path.Combine(TestContext.CurrentContext.TestDirectory,
        "..", "..", "..", "..", "..", "bench", "numbers", "make_numbers.py"));

    [Test]
    public void Read_FirstNumbersOfTheSet_AboveTheMeasuredFloors()
    {
        using var folder = new TemporaryDirectory();
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string a in new[] { Script, "--mnist", TestData.MnistDirectory, "--out", folder.Path, "--count", $"{Count}" })
            start.ArgumentList.Add(a);
        using (var python = Process.Start(start)!)
        {
            string error = python.StandardError.ReadToEnd();
            python.WaitForExit();
            Assert.That(python.ExitCode, Is.Zero, $"make_numbers.py (needs python3-numpy and python3-pil: build/setup.sh --test): {error}");
        }
        var lines = File.ReadAllLines(Path.Combine(folder.Path, "labels.tsv")).Select(l => l.Split('\t')).ToList();
        Assert.That(lines, Has.Count.EqualTo(Count));

        int right = 0, digits = 0, errors = 0;
        foreach (var line in lines)
        {
            var reading = ReadingModel.Reader.ReadFile(Path.Combine(folder.Path, line[0]));
            right += reading.Text == line[1] ? 1 : 0;
            digits += line[1].Length;
            errors += reading.DigitErrors(line[1]);
        }
        double numberAccuracy = (double)right / Count, digitAccuracy = 1 - (double)errors / digits;
        TestContext.Out.WriteLine($"{right} of {Count} numbers right ({numberAccuracy:P1}), per digit {digitAccuracy:P2} of {digits}");

        Assert.That(numberAccuracy, Is.GreaterThanOrEqualTo(NumberFloor));
        Assert.That(digitAccuracy, Is.GreaterThanOrEqualTo(DigitFloor));
    }

    // Measured with the checked-in model on these 24 numbers: 16 right (66.7 %), 92.5 % per digit (docs/reading.md);
    // the floors leave a margin of four numbers and about 7 points per digit for a changed normaliser.
    private const double NumberFloor = 0.5, DigitFloor = 0.85;
}
