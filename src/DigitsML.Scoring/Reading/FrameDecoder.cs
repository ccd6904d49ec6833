// FrameDecoder.cs — turns a line reader's frames (class probabilities per column step) into digits: CTC's greedy path.
namespace DigitsML;

/// <summary>One digit a line reader found: its value, how sure the reader was and the frames it spans.</summary>
/// <param name="Value">The digit, 0 to 9.</param>
/// <param name="Confidence">The reader's probability of this digit at the frame where it was surest.</param>
/// <param name="FirstFrame">The first frame whose best class is this digit.</param>
/// <param name="LastFrame">The last such frame.</param>
public readonly record struct DecodedDigit(int Value, float Confidence, int FirstFrame, int LastFrame);

/// <summary>Decodes the output of a line reader trained with CTC: each frame (a step of
/// <see cref="FrameDecoder.FrameWidth"/> columns of the <see cref="NumberLine"/>) holds the probabilities of
/// <see cref="FrameDecoder.Classes"/> classes, blank (nothing here, or the same digit goes on) first, then the digits 0 to
/// 9. The greedy path takes each frame's most likely class, joins repeats and drops blanks; for a reader trained with CTC
/// this is as good as a beam search on digits (a digit's frames are rarely in doubt between two paths), and it gives each
/// digit's frames, hence its place in the image.</summary>
public static class FrameDecoder
{
    /// <summary>Classes per frame: blank and the ten digits.</summary>
    public const int Classes = 11;

    /// <summary>Index of the blank class.</summary>
    public const int Blank = 0;

    /// <summary>Line columns per frame: the reader pools its width twice by 2.</summary>
    public const int FrameWidth = 4;

    /// <summary>The digits of <paramref name="frames"/> (frame after frame, <see cref="Classes"/> probabilities each), left to right.</summary>
    /// <exception cref="ArgumentException">The length is not a whole number of frames.</exception>
    public static IReadOnlyList<DecodedDigit> Greedy(ReadOnlySpan<float> frames)
    {
        if (frames.Length % Classes != 0)
            throw new ArgumentException($"Frames of {Classes} classes were expected; {frames.Length} values are not a whole number of them.", nameof(frames));
        var digits = new List<DecodedDigit>();
        int previous = Blank;
        for (int t = 0; t < frames.Length / Classes; t++)
        {
            var p = frames.Slice(t * Classes, Classes);
            int best = 0;
            for (int c = 1; c < Classes; c++)
                if (p[c] > p[best])
                    best = c;
            if (best != Blank && best == previous)
            {
                var last = digits[^1];
                digits[^1] = last with { Confidence = Math.Max(last.Confidence, p[best]), LastFrame = t };
            }
            else if (best != Blank)
                digits.Add(new DecodedDigit(best - 1, p[best], t, t));
            previous = best;
        }
        return digits;
    }

    /// <summary>The highest probability any digit has at a frame where blank won: how near the greedy path came to
    /// reading a digit it left out (0 when none came near).</summary>
    public static float MissedDigit(ReadOnlySpan<float> frames)
    {
        float most = 0;
        for (int t = 0; t < frames.Length / Classes; t++)
        {
            var p = frames.Slice(t * Classes, Classes);
            float digit = 0;
            for (int c = 1; c < Classes; c++)
                digit = Math.Max(digit, p[c]);
            if (p[Blank] >= digit)
                most = Math.Max(most, digit);
        }
        return most;
    }
}
