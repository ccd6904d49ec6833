// NormalizeBench.cs — the `normalize` part of build/bench.sh: how long NormalizeDigit takes to make the 28 × 28 features
// of one image (decoding included, as DigitFeatures.FromImage does for an upload), per kind of image: MNIST digits as
// 28 × 28 PNGs, each condition of the photo set of tests/DigitsML.Scoring.Tests/Photos, and those phone photos enlarged to
// a 12-megapixel camera frame.
using System.Diagnostics;
using System.Globalization;
using DigitsML;
using DigitsML.Engine;
using SkiaSharp;

/// <summary>The <c>--normalize</c> measurement of <c>build/bench.sh</c>.</summary>
internal static class NormalizeBench
{
    /// <summary>Images of one kind, encoded as a file holds them, and their mean size in pixels.</summary>
    internal sealed record Group(string Name, IReadOnlyList<byte[]> Images, int Width, int Height);

    /// <summary>Prints one line per group: <c>normalize=NAME images=N size=WxH (the mean) runs=R median_ms=… p90_ms=…</c>. Every image is
    /// normalised untimed first (every image, and 300 calls or 2 s), then <paramref name="runs"/> times in turn (one timing per call, all
    /// images pooled).</summary>
    internal static int Run(string photos, string mnist, int runs)
    {
        foreach (var group in Groups(photos, mnist))
        {
            // Untimed: SkiaSharp's first-use costs, and 300 calls or 2 seconds so .NET's tiered JIT has recompiled the hot
            // path (after one pass over 100 small images their median came out 3x too high).
            long warmup = Stopwatch.GetTimestamp();
            for (int call = 0; call < group.Images.Count || (call < 300 && Stopwatch.GetElapsedTime(warmup).TotalSeconds < 2); call++)
                DigitFeatures.FromImage(group.Images[call % group.Images.Count]);
            var times = new List<double>(group.Images.Count * runs);
            for (int run = 0; run < runs; run++)
                foreach (var image in group.Images)
                {
                    long start = Stopwatch.GetTimestamp();
                    DigitFeatures.FromImage(image);
                    times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                }
            times.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"normalize={group.Name} images={group.Images.Count} size={group.Width}x{group.Height} runs={runs} " +
                $"median_ms={times[times.Count / 2]:F3} p90_ms={times[(int)(times.Count * 0.9)]:F3}"));
        }
        return 0;
    }

    /// <summary>The groups: the first 100 MNIST test images as PNGs, the photo set by condition (its labels.tsv), and the
    /// phone photos enlarged to 3024 × 4032 as JPEG at quality 85.</summary>
    internal static IEnumerable<Group> Groups(string photos, string mnist)
    {
        var test = DigitDataset.LoadIdx(Path.Combine(mnist, "t10k-images-idx3-ubyte"), Path.Combine(mnist, "t10k-labels-idx1-ubyte"));
        yield return Of("mnist-png", [.. Enumerable.Range(0, 100).Select(i => MnistPng(test.Pixels.AsSpan(i * 784, 784)))]);

        string index = Path.Combine(photos, "labels.tsv");
        if (!File.Exists(index))
            throw new FileNotFoundException($"no photo set at {photos}: labels.tsv is missing (tests/DigitsML.Scoring.Tests/Photos is the set)", index);
        var byCondition = File.ReadLines(index).Skip(1).Select(line => line.Split('\t'))
            .GroupBy(fields => fields[2], fields => Path.Combine(photos, "images", fields[0]));
        foreach (var condition in byCondition)
        {
            var files = condition.ToList();
            yield return Of(condition.Key, [.. files.Select(File.ReadAllBytes)]);
            if (condition.Key == "phone")
                yield return Of("phone-12mp", [.. files.Take(4).Select(f => Enlarged(f, 3024, 4032))]);
        }
    }

    private static Group Of(string name, byte[][] images)
    {
        var sizes = images.Select(bytes => { using var codec = SKCodec.Create(new SKMemoryStream(bytes)); return codec.Info.Size; }).ToList();
        return new Group(name, images, (int)sizes.Average(s => s.Width), (int)sizes.Average(s => s.Height));
    }

    /// <summary>One MNIST image (784 values in [0, 1], ink near 1) as a grey PNG, ink dark on white as written.</summary>
    private static byte[] MnistPng(ReadOnlySpan<float> pixels)
    {
        using var bitmap = new SKBitmap(28, 28, SKColorType.Gray8, SKAlphaType.Opaque);
        for (int i = 0; i < 784; i++)
        {
            byte level = (byte)(255 - Math.Round(pixels[i] * 255));
            bitmap.SetPixel(i % 28, i / 28, new SKColor(level, level, level));
        }
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>A photo resized to <paramref name="width"/> × <paramref name="height"/> and saved as JPEG at quality 85.</summary>
    private static byte[] Enlarged(string file, int width, int height)
    {
        using var small = SKBitmap.Decode(file);
        using var large = small.Resize(new SKImageInfo(width, height), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
        using var data = large.Encode(SKEncodedImageFormat.Jpeg, 85);
        return data.ToArray();
    }
}
