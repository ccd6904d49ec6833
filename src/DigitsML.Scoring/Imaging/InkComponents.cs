// InkComponents.cs — the pieces of ink in an image and which of them make up the digit: specks and stray marks are dropped.

namespace DigitsML.Imaging;

/// <summary>Finds the 8-connected pieces of ink (pixels above 0) and keeps the digit's: the piece with the most ink,
/// weighted towards the image's centre (a photographer aims at the digit), then every piece near what is kept that is
/// large enough to be part of a stroke (a broken stroke, the bar of a 5 or 7 written apart, pencil strokes the paper's
/// grain broke up). Pieces that are small or far away (specks, dust, marks at the frame's edge) are cleared.</summary>
internal static class InkComponents
{
    /// <summary>A piece joins the digit when it is no farther from the kept pieces' box than this share of the box's
    /// longer side (plus two pixels) …</summary>
    internal const double JoinGap = 0.25;

    /// <summary>… and is at least this share of the box's longer side long, or has this share of the main piece's ink.</summary>
    internal const double JoinExtent = 0.2, JoinMass = 0.1;

    private readonly record struct Piece(double Mass, int X0, int Y0, int X1, int Y1, double Cx, double Cy);

    /// <summary>Clears every pixel of <paramref name="v"/> (w × h, ink above 0) outside the digit's pieces; returns how
    /// many pieces were cleared.</summary>
    internal static int KeepDigit(float[] v, int w, int h)
    {
        var labels = new int[v.Length];
        var pieces = Label(v, w, h, labels);
        if (pieces.Count <= 1)
            return 0;
        // The main piece: the most ink, each piece's mass weighted down by up to 50 % towards the frame's corners.
        double halfDiagonal = Math.Sqrt(w * w + h * h) / 2;
        int main = 0;
        double best = double.NegativeInfinity;
        for (int i = 0; i < pieces.Count; i++)
        {
            double d = Math.Sqrt(Square(pieces[i].Cx - w / 2.0) + Square(pieces[i].Cy - h / 2.0)) / halfDiagonal;
            double score = pieces[i].Mass * (1 - 0.5 * d * d);
            if (score > best)
                (best, main) = (score, i);
        }
        var keep = new bool[pieces.Count];
        keep[main] = true;
        var (bx0, by0, bx1, by1) = (pieces[main].X0, pieces[main].Y0, pieces[main].X1, pieces[main].Y1);
        for (bool grew = true; grew;)
        {
            grew = false;
            int side = Math.Max(bx1 - bx0, by1 - by0) + 1;
            double gap = JoinGap * side + 2;
            for (int i = 0; i < pieces.Count; i++)
            {
                var p = pieces[i];
                if (keep[i])
                    continue;
                double dx = Math.Max(0, Math.Max(bx0 - p.X1, p.X0 - bx1)), dy = Math.Max(0, Math.Max(by0 - p.Y1, p.Y0 - by1));
                int extent = Math.Max(p.X1 - p.X0, p.Y1 - p.Y0) + 1;
                if (Math.Max(dx, dy) > gap || (extent < JoinExtent * side && p.Mass < JoinMass * pieces[main].Mass))
                    continue;
                keep[i] = grew = true;
                (bx0, by0, bx1, by1) = (Math.Min(bx0, p.X0), Math.Min(by0, p.Y0), Math.Max(bx1, p.X1), Math.Max(by1, p.Y1));
            }
        }
        int cleared = 0;
        for (int i = 0; i < v.Length; i++)
            if (labels[i] > 0 && !keep[labels[i] - 1])
                v[i] = 0;
        for (int i = 0; i < keep.Length; i++)
            cleared += keep[i] ? 0 : 1;
        return cleared;
    }

    private static double Square(double x) => x * x;

    /// <summary>Labels each ink pixel with its piece's number from 1 (a flood fill with an explicit stack) and returns
    /// each piece's ink, box and centre of mass.</summary>
    private static List<Piece> Label(float[] v, int w, int h, int[] labels)
    {
        var pieces = new List<Piece>();
        var stack = new Stack<int>();
        for (int start = 0; start < v.Length; start++)
        {
            if (v[start] <= 0 || labels[start] != 0)
                continue;
            int label = pieces.Count + 1;
            double mass = 0, mx = 0, my = 0;
            int x0 = w, y0 = h, x1 = -1, y1 = -1;
            labels[start] = label;
            stack.Push(start);
            while (stack.Count > 0)
            {
                int at = stack.Pop(), x = at % w, y = at / w;
                mass += v[at];
                mx += v[at] * x;
                my += v[at] * y;
                (x0, y0, x1, y1) = (Math.Min(x0, x), Math.Min(y0, y), Math.Max(x1, x), Math.Max(y1, y));
                for (int ny = Math.Max(0, y - 1); ny <= Math.Min(h - 1, y + 1); ny++)
                    for (int nx = Math.Max(0, x - 1); nx <= Math.Min(w - 1, x + 1); nx++)
                    {
                        int n = ny * w + nx;
                        if (v[n] > 0 && labels[n] == 0)
                        {
                            labels[n] = label;
                            stack.Push(n);
                        }
                    }
            }
            pieces.Add(new Piece(mass, x0, y0, x1, y1, mx / mass, my / mass));
        }
        return pieces;
    }
}
