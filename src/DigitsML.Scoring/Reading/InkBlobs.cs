// InkBlobs.cs — the connected pieces of ink of a number, specks dropped and a digit's broken strokes put together.
namespace DigitsML.Reading;

/// <summary>One or more digits' worth of ink: pieces that belong together (a digit, a digit broken in two, or digits
/// that touch), with their box (inclusive bounds).</summary>
internal sealed class Blob
{
    public required int Id { get; init; }
    public int X0, X1, Y0, Y1, Area;

    public int Width => X1 - X0 + 1;

    public int Height => Y1 - Y0 + 1;
}

/// <summary>Finds the blobs of an <see cref="InkMap"/>:
/// <list type="number">
/// <item>connected pieces of ink (8-connected);</item>
/// <item>pieces smaller than <see cref="ReadingOptions.SpeckShare"/> of the largest are specks, unless they join a digit;</item>
/// <item>a piece joins a blob it overlaps horizontally by at least half the narrower one's width, and lies within a
/// quarter of the digits' height above or below (a 5's hat, a broken stroke);</item>
/// <item>blobs less than 0.4 of the digits' height tall are dropped (dots, dashes, pieces of lines).</item>
/// </list></summary>
internal sealed class InkBlobs
{
    private InkBlobs(int[] labels, int[] blobOfLabel, List<Blob> blobs, float digitHeight)
    {
        Labels = labels;
        BlobOfLabel = blobOfLabel;
        Blobs = blobs;
        DigitHeight = digitHeight;
    }

    /// <summary>Each pixel's piece, 1-based (0: no ink).</summary>
    public int[] Labels { get; }

    /// <summary>Each piece's blob <see cref="Blob.Id"/>, or -1 for a dropped piece; index 0 unused.</summary>
    public int[] BlobOfLabel { get; }

    /// <summary>The blobs, left to right.</summary>
    public List<Blob> Blobs { get; }

    /// <summary>The median height of the blobs: a digit's height.</summary>
    public float DigitHeight { get; }

    /// <summary>True when pixel <paramref name="i"/> is ink of blob <paramref name="blob"/>.</summary>
    public bool InBlob(int i, int blob) => Labels[i] > 0 && BlobOfLabel[Labels[i]] == blob;

    /// <summary>True when pixel <paramref name="i"/> is ink that any blob keeps.</summary>
    public bool Kept(int i) => Labels[i] > 0 && BlobOfLabel[Labels[i]] >= 0;

    /// <summary>The blobs of <paramref name="map"/>; null when more than <paramref name="most"/> pieces are larger than
    /// specks (noise or text, not a number: grouping them would take quadratic time).</summary>
    public static InkBlobs? Find(InkMap map, float speckShare, int most)
    {
        var (labels, pieces) = Label(map);
        int maxArea = pieces.Max(p => p.Area);
        var big = pieces.Where(p => p.Area >= speckShare * maxArea).ToList();
        if (big.Count > most)
            return null;
        float pieceHeight = Median(big.Select(p => p.Height));
        var blobOfLabel = new int[pieces.Count + 1];
        Array.Fill(blobOfLabel, -1);
        var blobs = new List<Blob>();
        foreach (var piece in pieces.OrderByDescending(p => p.Area).ThenBy(p => p.X0))
        {
            var home = blobs.FirstOrDefault(b => Joins(b, piece, pieceHeight));
            if (home is null)
            {
                if (piece.Area < speckShare * maxArea)
                    continue; // a speck on its own
                home = new Blob { Id = blobs.Count, X0 = piece.X0, X1 = piece.X1, Y0 = piece.Y0, Y1 = piece.Y1 };
                blobs.Add(home);
            }
            blobOfLabel[piece.Id] = home.Id;
            (home.X0, home.X1) = (Math.Min(home.X0, piece.X0), Math.Max(home.X1, piece.X1));
            (home.Y0, home.Y1) = (Math.Min(home.Y0, piece.Y0), Math.Max(home.Y1, piece.Y1));
            home.Area += piece.Area;
        }
        float tall = Median(blobs.Select(b => b.Height));
        var dropped = blobs.Where(b => b.Height < 0.4f * tall).Select(b => b.Id).ToHashSet();
        for (int l = 1; l < blobOfLabel.Length; l++)
            if (blobOfLabel[l] >= 0 && dropped.Contains(blobOfLabel[l]))
                blobOfLabel[l] = -1;
        var kept = blobs.Where(b => !dropped.Contains(b.Id)).OrderBy(b => b.X0).ToList();
        return new InkBlobs(labels, blobOfLabel, kept, kept.Count == 0 ? 0 : Median(kept.Select(b => b.Height)));
    }

    private static bool Joins(Blob blob, Piece piece, float height)
    {
        int overlap = Math.Min(blob.X1, piece.X1) - Math.Max(blob.X0, piece.X0) + 1;
        int gap = Math.Max(piece.Y0 - blob.Y1, blob.Y0 - piece.Y1) - 1;
        return overlap >= 0.5 * Math.Min(blob.Width, piece.Width) && gap <= 0.25 * height;
    }

    private static float Median(IEnumerable<int> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2]
            : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2f;
    }

    private sealed record Piece(int Id, int X0, int X1, int Y0, int Y1, int Area)
    {
        public int Width => X1 - X0 + 1;

        public int Height => Y1 - Y0 + 1;
    }

    /// <summary>8-connected labelling by flood fill with an explicit stack (a recursion would overflow on a big blot).</summary>
    private static (int[] Labels, List<Piece> Pieces) Label(InkMap map)
    {
        int w = map.Width, h = map.Height;
        var labels = new int[w * h];
        var pieces = new List<Piece>();
        var stack = new Stack<int>();
        for (int start = 0; start < labels.Length; start++)
        {
            if (!map.Ink[start] || labels[start] != 0)
                continue;
            int id = pieces.Count + 1, x0 = w, x1 = -1, y0 = h, y1 = -1, area = 0;
            labels[start] = id;
            stack.Push(start);
            while (stack.Count > 0)
            {
                int i = stack.Pop(), x = i % w, y = i / w;
                area++;
                (x0, x1, y0, y1) = (Math.Min(x0, x), Math.Max(x1, x), Math.Min(y0, y), Math.Max(y1, y));
                for (int dy = -1; dy <= 1; dy++)
                    for (int dx = -1; dx <= 1; dx++)
                    {
                        int nx = x + dx, ny = y + dy;
                        if ((uint)nx >= (uint)w || (uint)ny >= (uint)h)
                            continue;
                        int n = ny * w + nx;
                        if (map.Ink[n] && labels[n] == 0)
                        {
                            labels[n] = id;
                            stack.Push(n);
                        }
                    }
            }
            pieces.Add(new Piece(id, x0, x1, y0, y1, area));
        }
        return (labels, pieces);
    }
}
