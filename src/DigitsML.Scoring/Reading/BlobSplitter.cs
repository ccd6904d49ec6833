// BlobSplitter.cs — splits a blob too wide for one digit into the digits the model is surest of (touching digits).
namespace DigitsML.Reading;

/// <summary>One digit found: the columns it was cut from, where its ink is, and what the model said.</summary>
internal sealed record DigitGuess(int C0, int C1, DigitBox Box, string Class, float Confidence);

/// <summary>Reads a blob as one digit or several. A blob no wider than <see cref="ReadingOptions.SplitWiderThan"/>
/// digit heights is one digit. A wider one is cut at vertical lines chosen among candidate columns (the minima of its
/// column projection, where touching digits meet, and the minima near even splits into 2, 3, … parts), and the cuts
/// kept are those that maximise the sum over the parts of ln(confidence) − <see cref="PartCost"/> − <see cref="WideCost"/>
/// × (width / height − <see cref="Wide"/>, when positive), by dynamic programming; each part must be 0.2 to 1.3 digit
/// heights wide and its ink at least half as tall as the blob. The cost per part makes one digit win over two parts
/// unless the model is clearly surer of the two (a network is sure of half a digit surprisingly often); the cost of
/// width stops a part holding a digit and a half: handwritten digits are rarely wider than tall. The costs were chosen
/// on the first 200 numbers of the numbers set (docs/reading.md).</summary>
internal static class BlobSplitter
{
    private const float PartCost = 1.2f, WideCost = 4f, Wide = 1f, MinHeight = 0.5f, MinPart = 0.2f, MaxPart = 1.3f, SnapReach = 0.15f;
    private const int MaxCandidates = 24;

    /// <summary>The digits of <paramref name="blob"/>, left to right. <paramref name="read"/> reads the blob's columns
    /// [c0, c1) as one digit (null when they hold no ink).</summary>
    public static List<DigitGuess> Split(Blob blob, float digitHeight, float splitWiderThan, InkBlobs blobs, int imageWidth,
        Func<int, int, DigitGuess?> read)
    {
        int a = blob.X0, b = blob.X1 + 1;
        // The blob's own height is its digits' size (they touch, so they are written alike); the row's median height
        // only stands in for a blob shorter than usual.
        float h = Math.Max(Math.Max(blob.Height, 0.8f * digitHeight), 1);
        if (b - a <= splitWiderThan * h)
            return read(a, b) is { } single ? [single] : [];
        var cuts = Candidates(blob, a, b, h, blobs, imageWidth);
        int n = cuts.Count;
        var best = new double[n];
        var from = new int[n];
        var guesses = new DigitGuess?[n];
        Array.Fill(best, double.NegativeInfinity);
        best[0] = 0;
        for (int j = 1; j < n; j++)
            for (int i = 0; i < j; i++)
            {
                int width = cuts[j] - cuts[i];
                if (double.IsNegativeInfinity(best[i]) || width < MinPart * h || width > MaxPart * h)
                    continue;
                if (read(cuts[i], cuts[j]) is not { } guess || guess.Box.Height < MinHeight * h)
                    continue; // no ink, or too short to be a digit (a 5's hat, the tail of a stroke)
                double score = best[i] + Math.Log(Math.Max(guess.Confidence, 1e-6)) - PartCost - WideCost * Math.Max(0, width / h - Wide);
                if (score > best[j])
                    (best[j], from[j], guesses[j]) = (score, i, guess);
            }
        if (double.IsNegativeInfinity(best[n - 1]))
            return read(a, b) is { } whole ? [whole] : []; // no cut fits the widths: read it whole rather than drop it
        var parts = new List<DigitGuess>();
        for (int j = n - 1; j > 0; j = from[j])
            parts.Add(guesses[j]!);
        parts.Reverse();
        return parts;
    }

    /// <summary>The blob's left and right edges and the columns where a cut may go, in order.</summary>
    private static List<int> Candidates(Blob blob, int a, int b, float h, InkBlobs blobs, int w)
    {
        var profile = new double[b - a];
        for (int y = blob.Y0; y <= blob.Y1; y++)
            for (int x = a; x < b; x++)
                if (blobs.InBlob(y * w + x, blob.Id))
                    profile[x - a]++;
        var smooth = new double[profile.Length];
        for (int x = 0; x < profile.Length; x++)
            smooth[x] = (profile[Math.Max(0, x - 1)] + profile[x] + profile[Math.Min(profile.Length - 1, x + 1)]) / 3;
        int lo = (int)MathF.Ceiling(MinPart * h), hi = b - a - lo;
        var found = new List<(int Column, double Ink)>();
        // Local minima of the projection: where two digits meet the column holds little ink.
        for (int x = Math.Max(1, lo); x <= Math.Min(hi, smooth.Length - 2); x++)
            if (smooth[x] <= smooth[x - 1] && smooth[x] <= smooth[x + 1] && (smooth[x] < smooth[x - 1] || smooth[x] < smooth[x + 1]))
                found.Add((x, smooth[x]));
        found = [.. found.OrderBy(f => f.Ink).Take(MaxCandidates / 2)];
        // The least-inked column near each even split, so the right count of parts is always possible.
        int reach = Math.Max(1, (int)(SnapReach * h));
        for (int parts = 2; parts <= Math.Max(2, (int)((b - a) / (MinPart * h * 2))) && found.Count < MaxCandidates; parts++)
            for (int i = 1; i < parts; i++)
            {
                int centre = (b - a) * i / parts, bestX = -1;
                for (int x = Math.Max(lo, centre - reach); x <= Math.Min(hi, centre + reach); x++)
                    if (x > 0 && x < smooth.Length && (bestX < 0 || smooth[x] < smooth[bestX]))
                        bestX = x;
                if (bestX > 0)
                    found.Add((bestX, smooth[bestX]));
            }
        var columns = found.Select(f => a + f.Column).Distinct().Order().ToList();
        columns.Insert(0, a);
        columns.Add(b);
        return columns;
    }
}
