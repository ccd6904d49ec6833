// MnistFrame.cs — MNIST's last steps: a crop of the ink fitted into 20 × 20 and centred by its mass in 28 × 28.

namespace DigitsML.Imaging;

/// <summary>Scales a crop so that its longer side is 20 pixels keeping the aspect ratio (area averaging, which
/// anti-aliases when shrinking) and places it in a 28 × 28 frame, moved by whole pixels so that its centre of mass is
/// the frame's centre (14, 14), as MNIST's makers placed their digits.</summary>
internal static class MnistFrame
{
    /// <summary>Writes the crop (x0, y0, cw × ch) of <paramref name="v"/> (row width <paramref name="w"/>, values in
    /// [0, 1]) into <paramref name="output"/> (28 × 28, cleared by the caller); nothing when the crop has no ink.</summary>
    internal static void Place(float[] v, int w, int x0, int y0, int cw, int ch, Span<float> output)
    {
        const int Frame = DigitNormalizer.Frame, Box = DigitNormalizer.Box;
        double scale = (double)Box / Math.Max(cw, ch);
        int sw = Math.Clamp((int)Math.Round(cw * scale), 1, Box), sh = Math.Clamp((int)Math.Round(ch * scale), 1, Box);
        var scaled = Resample(v, w, x0, y0, cw, ch, sw, sh);

        // Centre of mass, with pixel centres at +0.5, moved onto the frame's centre (14, 14) by a whole-pixel shift.
        double mass = 0, mx = 0, my = 0;
        for (int y = 0; y < sh; y++)
            for (int x = 0; x < sw; x++)
            {
                float p = scaled[y * sw + x];
                mass += p;
                mx += p * (x + 0.5);
                my += p * (y + 0.5);
            }
        if (mass <= 0)
            return;
        int ox = Math.Clamp((int)Math.Round(Frame / 2.0 - mx / mass), 0, Frame - sw);
        int oy = Math.Clamp((int)Math.Round(Frame / 2.0 - my / mass), 0, Frame - sh);
        for (int y = 0; y < sh; y++)
            scaled.AsSpan(y * sw, sw).CopyTo(output.Slice((oy + y) * Frame + ox, sw));
    }

    /// <summary>The crop (x0, y0, cw × ch) resized to sw × sh by area averaging: each output pixel is the mean of the
    /// source area it covers, fractional pixels weighted by their overlap.</summary>
    private static float[] Resample(float[] v, int w, int x0, int y0, int cw, int ch, int sw, int sh)
    {
        var xs = Weights(cw, sw);
        var ys = Weights(ch, sh);
        var result = new float[sw * sh];
        for (int oy = 0; oy < sh; oy++)
            for (int ox = 0; ox < sw; ox++)
            {
                double sum = 0, weight = 0;
                foreach (var (sy, wy) in ys[oy])
                    foreach (var (sx, wx) in xs[ox])
                    {
                        sum += wx * wy * v[(y0 + sy) * w + x0 + sx];
                        weight += wx * wy;
                    }
                result[oy * sw + ox] = (float)Math.Clamp(sum / weight, 0, 1);
            }
        return result;
    }

    /// <summary>For each of <paramref name="output"/> cells, the source cells it overlaps and by how much.</summary>
    private static List<(int Index, double Weight)>[] Weights(int source, int output)
    {
        double step = (double)source / output;
        var cells = new List<(int, double)>[output];
        for (int o = 0; o < output; o++)
        {
            double start = o * step, end = Math.Min(source, start + step);
            cells[o] = [];
            for (int s = (int)start; s < end && s < source; s++)
            {
                double overlap = Math.Min(end, s + 1) - Math.Max(start, s);
                if (overlap > 1e-9)
                    cells[o].Add((s, overlap));
            }
        }
        return cells;
    }
}
