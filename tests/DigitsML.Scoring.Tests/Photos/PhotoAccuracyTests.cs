// PhotoAccuracyTests.cs — NormalizeDigit on photos of handwritten digits (make_photos.py): the accuracy of a CNN trained on
// MNIST alone, per photo condition (uneven light, shadows, coloured and ruled paper, specks, small digits, pencil, marker,
// phone JPEGs), against floors measured here, and the time it takes per image.

namespace DigitsML.Scoring.Tests.Photos;

[TestFixture]
public sealed class PhotoAccuracyTests
{
    /// <summary>Each condition's floor: how many of its 16 photos the model must read right. Measured with this
    /// NormalizeDigit (docs/normalize.md): clean, colour, specks, pencil, marker, phone 16; gradient, shadow, ruled,
    /// small 15; grid 14. Each floor is one photo under that (before the photo steps: gradient 6, shadow 11, ruled 8,
    /// grid 12, specks 8, small 11, pencil 11, phone 11).</summary>
    private static readonly Dictionary<string, int> Floors = new()
    {
        ["clean"] = 15, ["gradient"] = 14, ["shadow"] = 14, ["colour"] = 15, ["ruled"] = 14, ["grid"] = 13,
        ["specks"] = 15, ["small"] = 14, ["pencil"] = 15, ["marker"] = 15, ["phone"] = 15,
    };

    /// <summary>All 176 photos: 170 measured (96.6 %), less two.</summary>
    private const int AllFloor = 168;

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
            int right = group.Count() - wrong.Count;
            lines.Add($"{group.Key,-9} {right,2} of {group.Count()}  wrong: {string.Join(" ", wrong)}");
            if (right < Floors[group.Key])
                failures.Add($"{group.Key}: {right} < {Floors[group.Key]}");
        }
        int all = photos.Select((p, i) => p.Label == predicted[i]).Count(ok => ok);
        TestContext.Out.WriteLine(string.Join("\n", lines) + $"\nall       {all} of {photos.Count} ({(double)all / photos.Count:P1})");
        Assert.That(failures, Is.Empty);
        Assert.That(all, Is.GreaterThanOrEqualTo(AllFloor));
    }
}
