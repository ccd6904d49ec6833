// NumberSynthesizer.cs — handwritten numbers made on the fly from MNIST training digits, on the paper a reader meets.
using DigitsML.Engine;

namespace DigitsML.Reading;

/// <summary>Makes the examples the line reader learns from: a number of 1 to <see cref="MaxDigits"/> MNIST digits drawn
/// from one range of a digit set (training digits only), written as people write — gaps from wide to heavy overlap,
/// sizes and baselines that wander, a common slant, bold or thin strokes, a tilted line — on the paper a reader meets:
/// ruled lines, a margin line, graph paper, a printed box around the number or a form line under it, uneven light,
/// dark or faded ink, blur and sensor noise, or light ink on black as MNIST has it. The photo goes through the reader's
/// own <see cref="NumberLine"/>, so the strip it learns from is the strip it will read. Every draw comes from the
/// <see cref="Random"/> given: the same seed gives the same examples.</summary>
internal sealed class NumberSynthesizer
{
    /// <summary>The longest number made.</summary>
    public const int MaxDigits = 12;

    private const float InkLevel = 0.1f;
    private readonly DigitDataset digits;
    private readonly int first, count;
    private readonly (int X0, int Y0, int X1, int Y1)[] boxes;

    /// <summary>Numbers from digits <paramref name="first"/> to first + count − 1 of <paramref name="digits"/> (28 × 28).</summary>
    public NumberSynthesizer(DigitDataset digits, int first, int count)
    {
        ArgumentNullException.ThrowIfNull(digits);
        if (digits.Shape.Height != 28 || digits.Shape.Width != 28 || digits.Shape.Channels != 1)
            throw new ArgumentException($"Digits must be 1 × 28 × 28 images; these are {digits.Shape}.", nameof(digits));
        ArgumentOutOfRangeException.ThrowIfNegative(first);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(first + count, digits.Count, nameof(count));
        this.digits = digits;
        this.first = first;
        this.count = count;
        boxes = new (int, int, int, int)[count];
        for (int i = 0; i < count; i++)
            boxes[i] = InkBox(first + i);
    }

    /// <summary>One example: the strip the reader sees and the number written in it; null in the rare draw where the
    /// reader's own line finder finds no number (a digit set's faintest digits on the noisiest paper).</summary>
    public (NumberLine Line, string Text)? Make(Random rng)
    {
        int n = rng.NextDouble() < 0.08 ? 1 : rng.Next(2, MaxDigits + 1);
        float size = Uniform(rng, 16, 40);
        float slant = Uniform(rng, -0.35f, 0.35f), tilt = MathF.Tan(Uniform(rng, -6, 6) * MathF.PI / 180);
        float bold = rng.NextDouble() < 0.25 ? Uniform(rng, 1.2f, 2.2f) : rng.NextDouble() < 0.2 ? Uniform(rng, 0.5f, 0.85f) : 1;
        var placed = new List<(int Index, float X, float Y, float Height, float Stretch)>(n);
        var text = new char[n];
        float x = 0;
        int gapKind = rng.Next(3);  // the writer's habit: tight, normal or generous spacing
        for (int d = 0; d < n; d++)
        {
            int index = first + rng.Next(count);
            text[d] = (char)('0' + digits.Labels[index]);
            var (x0, y0, x1, y1) = boxes[index - first];
            float height = size * Uniform(rng, 0.85f, 1.15f);
            float stretch = height / (y1 - y0 + 1) * Uniform(rng, 0.8f, 1.2f);
            float width = (x1 - x0 + 1) * stretch + Math.Abs(slant) * height;
            float y = size - height + Uniform(rng, -0.1f, 0.1f) * size + x * tilt;
            placed.Add((index, x, y, height, stretch));
            float gap = gapKind switch
            {
                0 => Uniform(rng, -0.3f, 0.05f),
                1 => rng.NextDouble() < 0.3 ? Uniform(rng, -0.2f, 0.05f) : Uniform(rng, 0.05f, 0.5f),
                _ => Uniform(rng, 0.3f, 1.2f),
            } * size;
            x += width + gap;
        }
        float marginX = Uniform(rng, 0.3f, 1.5f) * size, marginY = Uniform(rng, 0.4f, 1.2f) * size;
        float minY = placed.Min(p => p.Y), maxY = placed.Max(p => p.Y + p.Height);
        int w = (int)MathF.Ceiling(x + 2 * marginX), h = (int)MathF.Ceiling(maxY - minY + 2 * marginY);
        var ink = new float[w * h];
        foreach (var p in placed)
            Draw(ink, w, h, p.Index, marginX + p.X, marginY + p.Y - minY, p.Height, p.Stretch, slant, bold);
        var print = new float[w * h];
        AddPrint(print, w, h, rng, size, marginX, marginY, x, maxY - minY);
        var gray = Photograph(ink, print, w, h, rng);
        var line = NumberLine.FromGray(w, h, gray, DigitInk.Auto, out _);
        return line is null ? null : (line, new string(text));
    }

    /// <summary>The rows and columns of digit <paramref name="index"/> that hold ink.</summary>
    private (int, int, int, int) InkBox(int index)
    {
        var pixels = digits.Pixels.AsSpan(index * 784, 784);
        int x0 = 28, y0 = 28, x1 = -1, y1 = -1;
        for (int y = 0; y < 28; y++)
            for (int x = 0; x < 28; x++)
                if (pixels[y * 28 + x] > InkLevel)
                    (x0, y0, x1, y1) = (Math.Min(x0, x), Math.Min(y0, y), Math.Max(x1, x), Math.Max(y1, y));
        return x1 < 0 ? (0, 0, 27, 27) : (x0, y0, x1, y1);
    }

    /// <summary>Draws the digit's ink box scaled to <paramref name="height"/> rows (columns by <paramref name="stretch"/>),
    /// its top leaning right by <paramref name="slant"/> of its height, at (left, top), keeping the stronger ink where
    /// digits overlap.</summary>
    private void Draw(float[] canvas, int w, int h, int index, float left, float top, float height, float stretch, float slant, float bold)
    {
        var (x0, y0, x1, y1) = boxes[index - first];
        var pixels = digits.Pixels.AsSpan(index * 784, 784);
        float scaleY = height / (y1 - y0 + 1);
        float lean = slant * height, offset = Math.Max(0, -lean);
        int cx0 = (int)left, cx1 = (int)MathF.Ceiling(left + (x1 - x0 + 1) * stretch + Math.Abs(lean));
        int cy0 = (int)top, cy1 = (int)MathF.Ceiling(top + height);
        for (int y = Math.Max(0, cy0); y < Math.Min(h, cy1); y++)
        {
            float sy = (y + 0.5f - top) / scaleY + y0 - 0.5f;
            float shift = lean * (1 - (y + 0.5f - top) / height) + offset;
            for (int x = Math.Max(0, cx0); x < Math.Min(w, cx1); x++)
            {
                float sx = (x + 0.5f - left - shift) / stretch + x0 - 0.5f;
                float v = Sample(pixels, sx, sy);
                if (v <= 0)
                    continue;
                v = bold >= 1 ? Math.Min(1, v * bold) : MathF.Pow(v, 1 / bold) * (v > 0.5f ? 1 : bold);
                ref float c = ref canvas[y * w + x];
                c = Math.Max(c, v);
            }
        }
    }

    private static float Sample(ReadOnlySpan<float> pixels, float x, float y)
    {
        int ix = (int)MathF.Floor(x), iy = (int)MathF.Floor(y);
        float tx = x - ix, ty = y - iy;
        return (At(pixels, ix, iy) * (1 - tx) + At(pixels, ix + 1, iy) * tx) * (1 - ty)
             + (At(pixels, ix, iy + 1) * (1 - tx) + At(pixels, ix + 1, iy + 1) * tx) * ty;
    }

    private static float At(ReadOnlySpan<float> pixels, int x, int y) => x < 0 || y < 0 || x >= 28 || y >= 28 ? 0 : pixels[y * 28 + x];

    /// <summary>Printed marks on the paper, as darkness in [0, 1]: ruled lines, a margin line, graph paper, a box around
    /// the number, a form line under it — each drawn or not on its own.</summary>
    private static void AddPrint(float[] print, int w, int h, Random rng, float size, float marginX, float marginY, float numberWidth, float numberHeight)
    {
        void Row(int y, int thick, float dark, int from = 0, int to = int.MaxValue)
        {
            for (int r = y; r < y + thick; r++)
                if (r >= 0 && r < h)
                    for (int c = Math.Max(0, from); c < Math.Min(w, to); c++)
                        print[r * w + c] = Math.Max(print[r * w + c], dark);
        }
        void Column(int x, int thick, float dark, int from = 0, int to = int.MaxValue)
        {
            for (int c = x; c < x + thick; c++)
                if (c >= 0 && c < w)
                    for (int r = Math.Max(0, from); r < Math.Min(h, to); r++)
                        print[r * w + c] = Math.Max(print[r * w + c], dark);
        }
        if (rng.NextDouble() < 0.12)  // graph paper
        {
            float spacing = size * Uniform(rng, 0.35f, 0.8f), dark = Uniform(rng, 0.08f, 0.35f);
            for (float y = Uniform(rng, 0, spacing); y < h; y += spacing)
                Row((int)y, 1, dark);
            for (float x = Uniform(rng, 0, spacing); x < w; x += spacing)
                Column((int)x, 1, dark);
        }
        else if (rng.NextDouble() < 0.3)  // ruled paper, a line near the baseline
        {
            float spacing = size * Uniform(rng, 0.9f, 1.6f), dark = Uniform(rng, 0.15f, 0.6f);
            int thick = rng.NextDouble() < 0.3 ? 2 : 1;
            float start = (marginY + numberHeight + Uniform(rng, -0.1f, 0.25f) * size) % spacing;
            for (float y = start; y < h; y += spacing)
                Row((int)y, thick, dark);
        }
        if (rng.NextDouble() < 0.12)  // a margin line, anywhere across the number or beside it
            Column((int)Uniform(rng, 0, w), rng.Next(1, 3), Uniform(rng, 0.3f, 0.8f));
        if (rng.NextDouble() < 0.2)  // a printed box around the number
        {
            float pad = size * Uniform(rng, 0.05f, 0.5f), dark = Uniform(rng, 0.4f, 1f);
            int thick = rng.Next(1, 4);
            int left = (int)(marginX - pad), right = (int)(marginX + numberWidth + pad), top = (int)(marginY - pad), bottom = (int)(marginY + numberHeight + pad);
            Row(top, thick, dark, left, right + thick);
            Row(bottom, thick, dark, left, right + thick);
            Column(left, thick, dark, top, bottom + thick);
            Column(right, thick, dark, top, bottom + thick);
        }
        else if (rng.NextDouble() < 0.12)  // a form line under the number
            Row((int)(marginY + numberHeight + Uniform(rng, 0, 0.3f) * size), rng.Next(1, 3), Uniform(rng, 0.4f, 1f));
    }

    /// <summary>The photo of ink and print on paper: grey levels in [0, 1].</summary>
    private static float[] Photograph(float[] ink, float[] print, int w, int h, Random rng)
    {
        var gray = new float[w * h];
        if (rng.NextDouble() < 0.2)  // light ink on black, as MNIST
        {
            float strength = Uniform(rng, 0.6f, 1f), noise = Uniform(rng, 0, 0.04f);
            for (int i = 0; i < gray.Length; i++)
                gray[i] = Math.Clamp(Math.Max(ink[i] * strength, print[i] * 0.8f) + noise * Gaussian(rng), 0, 1);
            return gray;
        }
        float paper = Uniform(rng, 0.6f, 1f), inkLevel = Uniform(rng, 0, 0.4f) * paper, opacity = Uniform(rng, 0.5f, 1f);
        float shade = Uniform(rng, 0, 0.45f), angle = Uniform(rng, 0, 2 * MathF.PI), sigma = Uniform(rng, 0, 0.04f);
        float ca = MathF.Cos(angle) / Math.Max(w, h), sa = MathF.Sin(angle) / Math.Max(w, h);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                int i = y * w + x;
                float light = 1 - shade * (0.5f + 0.5f * (ca * x + sa * y));
                float v = paper * (1 - 0.75f * print[i]);
                v -= (v - inkLevel) * ink[i] * opacity;
                gray[i] = v * light;
            }
        if (rng.NextDouble() < 0.3)
            gray = Blur(gray, w, h);
        for (int i = 0; i < gray.Length; i++)
            gray[i] = Math.Clamp(gray[i] + sigma * Gaussian(rng), 0, 1);
        return gray;
    }

    private static float[] Blur(float[] v, int w, int h)
    {
        var o = new float[v.Length];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                float sum = 0;
                int n = 0;
                for (int dy = -1; dy <= 1; dy++)
                    for (int dx = -1; dx <= 1; dx++)
                        if (x + dx >= 0 && x + dx < w && y + dy >= 0 && y + dy < h)
                        {
                            sum += v[(y + dy) * w + x + dx];
                            n++;
                        }
                o[y * w + x] = sum / n;
            }
        return o;
    }

    private static float Uniform(Random rng, float low, float high) => low + (float)rng.NextDouble() * (high - low);

    private static float Gaussian(Random rng) =>
        MathF.Sqrt(-2 * MathF.Log(1 - (float)rng.NextDouble())) * MathF.Cos(2 * MathF.PI * (float)rng.NextDouble());
}
