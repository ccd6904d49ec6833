// RuledLines.cs — removes the lines of ruled or squared paper from an ink image, leaving the strokes that cross them.

namespace DigitsML.Imaging;

/// <summary>Clears the straight horizontal and vertical lines of lined or squared paper (and a margin line) from an image
/// whose ink is above 0. A line is a run of ink along a row (or column) that spans at least <see cref="Span"/> of the
/// image, bridging gaps of up to <see cref="Gap"/> pixels (JPEG and grain break faint lines), and that is thin: at each of
/// its pixels the ink across the line is at most <see cref="Thickness"/> long. Where a stroke of the digit crosses the
/// line, the ink across is longer than the line is thick, so those pixels stay and the digit is not cut. A digit is
/// never taken for a line unless it spans 90 % of the frame with a perfectly straight, thin stroke.</summary>
internal static class RuledLines
{
    /// <summary>The share of the image's width (height) a horizontal (vertical) line spans.</summary>
    internal const double Span = 0.9;

    /// <summary>The widest gap, in pixels, bridged inside a line.</summary>
    internal const int Gap = 3;

    /// <summary>The thickest line removed: 6 pixels, or a 25th of the image's shorter side on large images.</summary>
    internal static int Thickness(int w, int h) => Math.Max(6, Math.Min(w, h) / 25);

    /// <summary>The smallest image, in pixels on each side, searched for lines: a smaller one is a digit's crop.</summary>
    internal const int MinSide = 32;

    /// <summary>The most of the ink lines may take; when they would leave less than 1 %, nothing is cleared.</summary>
    internal const double MostCleared = 0.99;

    /// <summary>Clears the lines' pixels in <paramref name="v"/>; returns how many pixels were cleared.</summary>
    internal static int Remove(float[] v, int w, int h)
    {
        if (Math.Min(w, h) < MinSide)
            return 0;
        int thickness = Thickness(w, h);
        var across = new int[v.Length];
        // Horizontal lines: long runs along rows, thin across (the run along the column through each pixel).
        RunLengths(v, w, h, along: false, across);
        var clear = new bool[v.Length];
        bool any = Mark(v, w, h, rows: true, across, thickness, clear);
        RunLengths(v, w, h, along: true, across);
        any |= Mark(v, w, h, rows: false, across, thickness, clear);
        if (!any)
            return 0;
        int ink = 0, cleared = 0;
        for (int i = 0; i < v.Length; i++)
            if (v[i] > 0)
            {
                ink++;
                cleared += clear[i] ? 1 : 0;
            }
        // Lines are the paper's, not the subject: an image that would be left with (almost) no ink is a stroke drawn
        // across the frame (a dash, a 1 lying down), kept as it is.
        if (cleared > MostCleared * ink)
            return 0;
        for (int i = 0; i < v.Length; i++)
            if (clear[i])
                v[i] = 0;
        return cleared;
    }

    /// <summary>For each ink pixel, the length of the unbroken run of ink through it along its row
    /// (<paramref name="along"/>) or its column.</summary>
    private static void RunLengths(float[] v, int w, int h, bool along, int[] lengths)
    {
        int lines = along ? h : w, length = along ? w : h;
        for (int l = 0; l < lines; l++)
        {
            int start = -1;
            for (int k = 0; k <= length; k++)
            {
                bool ink = k < length && v[Index(l, k, w, along)] > 0;
                if (ink && start < 0)
                    start = k;
                else if (!ink && start >= 0)
                {
                    for (int j = start; j < k; j++)
                        lengths[Index(l, j, w, along)] = k - start;
                    start = -1;
                }
            }
        }
    }

    /// <summary>Marks in <paramref name="clear"/> the thin pixels of every long run along rows (<paramref name="rows"/>)
    /// or columns; true when any was found.</summary>
    private static bool Mark(float[] v, int w, int h, bool rows, int[] across, int thickness, bool[] clear)
    {
        int lines = rows ? h : w, length = rows ? w : h;
        int needed = (int)Math.Ceiling(Span * length);
        bool any = false;
        for (int l = 0; l < lines; l++)
        {
            int start = -1, last = -1;
            for (int k = 0; k <= length; k++)
            {
                bool ink = k < length && v[Index(l, k, w, rows)] > 0;
                if (ink)
                {
                    if (start < 0 || k - last > Gap + 1)
                    {
                        if (start >= 0 && last - start + 1 >= needed)
                            any |= MarkRun(l, start, last, w, rows, across, thickness, clear);
                        start = k;
                    }
                    last = k;
                }
                else if (k == length && start >= 0 && last - start + 1 >= needed)
                    any |= MarkRun(l, start, last, w, rows, across, thickness, clear);
            }
        }
        return any;
    }

    private static bool MarkRun(int l, int first, int last, int w, bool rows, int[] across, int thickness, bool[] clear)
    {
        for (int k = first; k <= last; k++)
        {
            int i = Index(l, k, w, rows);
            if (across[i] > 0 && across[i] <= thickness)
                clear[i] = true;
        }
        return true;
    }

    private static int Index(int line, int k, int w, bool alongRow) => alongRow ? line * w + k : k * w + line;
}
