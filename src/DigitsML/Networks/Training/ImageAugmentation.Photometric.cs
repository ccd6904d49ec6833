// ImageAugmentation.Photometric.cs — the per-pixel part of the augmentation (stroke width, blur, ruled lines, scribbles,
// contrast, background light, noise): parameters drawn per image on the host, the work done batched on the device.
using DigitsML.Engine;
using TorchSharp;
using static TorchSharp.torch;

namespace DigitsML.Networks;

public sealed partial record ImageAugmentation
{
    private const int BlurRadius = 4, BlurSize = 2 * BlurRadius + 1, FogCells = 4;

    /// <summary>Tallest digit of <see cref="LowResolutionProbability"/> and the digit box it is measured against (MNIST's
    /// digits fill 20 of 28 pixels), in pixels.</summary>
    private const double LowResolutionMaxHeight = 16, DigitBoxHeight = 20;

    /// <summary>Draws every per-pixel operation's parameters for <paramref name="count"/> images, image by image; an
    /// operation whose probability is 0 draws nothing.</summary>
    private Photometric DrawPhotometric(int count, TensorShape shape, Random random)
    {
        var p = new Photometric(count);
        for (int i = 0; i < count; i++)
        {
            if (StrokeProbability > 0 && random.NextDouble() < StrokeProbability)
                (random.NextDouble() < 0.5 ? p.Dilate ??= new bool[count] : p.Erode ??= new bool[count])[i] = true;
            if (LowResolutionProbability > 0 && random.NextDouble() < LowResolutionProbability)
            {
                double scale = (MinLowResolutionHeight + (LowResolutionMaxHeight - MinLowResolutionHeight) * random.NextDouble()) / DigitBoxHeight;
                (p.LowSize ??= new int[count])[i] = (int)Math.Max(4, Math.Round(shape.Height * scale));
            }
            if (BlurProbability > 0 && random.NextDouble() < BlurProbability)
                DrawBlur(p.Blur ??= Identities(count), i, random);
            if (LinesProbability > 0 && random.NextDouble() < LinesProbability)
            {
                p.Lines ??= new float[count * shape.Height];
                int period = random.Next(8, 16), phase = random.Next(period);
                float level = (float)(0.3 + 0.5 * random.NextDouble());
                for (int y = phase; y < shape.Height; y += period)
                    p.Lines[i * shape.Height + y] = level;
            }
            if (ScribbleProbability > 0 && random.NextDouble() < ScribbleProbability)
                DrawScribble(p.Scribbles ??= new float[count * shape.Height * shape.Width], i, shape, random);
            if (ContrastProbability > 0 && random.NextDouble() < ContrastProbability)
                (p.Contrast ??= Enumerable.Repeat(1f, count).ToArray())[i] = (float)(MinContrast + (1 - MinContrast) * random.NextDouble());
            if (BackgroundProbability > 0 && random.NextDouble() < BackgroundProbability)
            {
                p.Fog ??= new float[count * FogCells * FogCells];
                double level = MaxBackground * random.NextDouble(), strength = MaxBackground * random.NextDouble();
                for (int c = 0; c < FogCells * FogCells; c++)
                    p.Fog[i * FogCells * FogCells + c] = (float)(level + strength * random.NextDouble());
            }
            if (NoiseProbability > 0 && random.NextDouble() < NoiseProbability)
                (p.NoiseStd ??= new float[count])[i] = (float)(MaxNoiseStd * random.NextDouble());
            if (ImpulseProbability > 0 && random.NextDouble() < ImpulseProbability)
                (p.Impulse ??= new float[count])[i] = (float)(MaxImpulseFraction * random.NextDouble());
        }
        // The noise itself is drawn on the device from a generator seeded here, so it repeats from the seed too.
        if (p.NoiseStd is not null || p.Impulse is not null)
            p.NoiseSeed = (ulong)random.NextInt64();
        return p;
    }

    private static float[] Identities(int count)
    {
        var kernels = new float[count * BlurSize * BlurSize];
        for (int i = 0; i < count; i++)
            kernels[i * BlurSize * BlurSize + BlurRadius * BlurSize + BlurRadius] = 1f;
        return kernels;
    }

    /// <summary>Image i's kernel: a Gaussian with σ along a random direction and a narrower σ across it, normalised.</summary>
    private void DrawBlur(float[] kernels, int i, Random random)
    {
        double angle = Math.PI * random.NextDouble();
        double along = 0.5 + (MaxBlurSigma - 0.5) * random.NextDouble();
        double across = 0.3 + (along - 0.3) * random.NextDouble();
        double c = Math.Cos(angle), s = Math.Sin(angle), sum = 0;
        var kernel = kernels.AsSpan(i * BlurSize * BlurSize, BlurSize * BlurSize);
        for (int v = -BlurRadius; v <= BlurRadius; v++)
            for (int u = -BlurRadius; u <= BlurRadius; u++)
            {
                double a = u * c + v * s, b = -u * s + v * c;
                double w = Math.Exp(-(a * a / (2 * along * along) + b * b / (2 * across * across)));
                kernel[(v + BlurRadius) * BlurSize + u + BlurRadius] = (float)w;
                sum += w;
            }
        for (int k = 0; k < kernel.Length; k++)
            kernel[k] = (float)(kernel[k] / sum);
    }

    /// <summary>Image i's scribble: a polyline through 3–5 random points at least 3 pixels inside the frame, walked in
    /// quarter-pixel steps, 1 or 2 pixels wide.</summary>
    private static void DrawScribble(float[] scribbles, int i, TensorShape shape, Random random)
    {
        int h = shape.Height, w = shape.Width, vertices = random.Next(3, 6);
        bool wide = random.NextDouble() < 0.5;
        float level = (float)(0.6 + 0.4 * random.NextDouble());
        var image = scribbles.AsSpan(i * h * w, h * w);
        double x = 3 + (w - 7) * random.NextDouble(), y = 3 + (h - 7) * random.NextDouble();
        for (int k = 1; k < vertices; k++)
        {
            double nx = 3 + (w - 7) * random.NextDouble(), ny = 3 + (h - 7) * random.NextDouble();
            int steps = (int)Math.Ceiling(4 * Math.Max(Math.Abs(nx - x), Math.Abs(ny - y))) + 1;
            for (int t = 0; t <= steps; t++)
            {
                // Clamped: images narrower than 7 pixels have no 3-pixel margin.
                int px = Math.Clamp((int)Math.Round(x + (nx - x) * t / steps), 0, w - 1);
                int py = Math.Clamp((int)Math.Round(y + (ny - y) * t / steps), 0, h - 1);
                image[py * w + px] = level;
                if (wide && px + 1 < w)
                    image[py * w + px + 1] = level;
                if (wide && py + 1 < h)
                    image[(py + 1) * w + px] = level;
            }
            (x, y) = (nx, ny);
        }
    }

    /// <summary>One batch's drawn per-pixel operations; null where no image of the batch has that operation.</summary>
    private sealed class Photometric(int count)
    {
        public bool[]? Dilate, Erode;
        public float[]? Blur, Lines, Scribbles, Contrast, Fog, NoiseStd, Impulse;
        public int[]? LowSize; // the height image i is brought down to (its width in proportion); 0: not

        public ulong NoiseSeed;

        /// <summary>The operations in a fixed order on x: (n, C, H, W) in [0, 1] -> (n, C, H, W) in [0, 1]. Tensors made
        /// here belong to the caller's dispose scope.</summary>
        public Tensor Apply(Tensor x, TensorShape shape)
        {
            var device = x.device;
            bool changed = false;
            Tensor PerImage(float[] values) => tensor(values, [count, 1, 1, 1]).to(device);
            if (Dilate is not null || Erode is not null)
            {
                // Grey dilation: the 3 × 3 maximum. Grey erosion by a plus: the minimum of the pixel and its four
                // neighbours, then scaled back to the image's peak so thin strokes stay visible. Taken over shifted
                // views of one padded copy: libtorch's max_pool2d with stride 1 costs ten times as much here.
                int h = shape.Height, w = shape.Width;
                var dark = nn.functional.pad(x, [1, 1, 1, 1], PaddingModes.Constant, 0); // outside: no ink to spread
                var bright = nn.functional.pad(x, [1, 1, 1, 1], PaddingModes.Constant, 1); // outside: nothing to erode
                Tensor View(Tensor padded, int dy, int dx) => padded.narrow(2, 1 + dy, h).narrow(3, 1 + dx, w);
                var dilated = x.clone();
                for (int dy = -1; dy <= 1; dy++)
                    for (int dx = -1; dx <= 1; dx++)
                        if (dy != 0 || dx != 0)
                            dilated = dilated.maximum(View(dark, dy, dx));
                var eroded = x.minimum(View(bright, -1, 0)).minimum(View(bright, 1, 0)).minimum(View(bright, 0, -1)).minimum(View(bright, 0, 1));
                var peak = x.amax([1, 2, 3], keepdim: true);
                var erodedPeak = eroded.amax([1, 2, 3], keepdim: true);
                eroded = eroded.mul(peak.div(erodedPeak.clamp_min(1e-6)));
                x = where(Mask(Dilate, device), dilated, where(Mask(Erode, device), eroded, x));
            }
            if (LowSize is not null)
            {
                // Images of one size together: area-averaged down as a scanner's sensor would, bilinear back up.
                foreach (int height in LowSize.Where(size => size > 0).Distinct())
                {
                    long width = Math.Max(4, (long)Math.Round((double)shape.Width * height / shape.Height));
                    var chosen = Enumerable.Range(0, count).Where(i => LowSize[i] == height).Select(i => (long)i).ToArray();
                    var index = tensor(chosen).to(device);
                    var small = nn.functional.interpolate(x.index_select(0, index), [height, width], mode: InterpolationMode.Area);
                    var back = nn.functional.interpolate(small, [shape.Height, shape.Width], mode: InterpolationMode.Bilinear, align_corners: false);
                    x = x.index_copy(0, index, back);
                }
            }
            if (Blur is not null)
            {
                // x: (n, C, H, W) -> (1, n·C, H, W), one depthwise kernel per image and channel.
                long channels = x.shape[1];
                var kernels = tensor(Blur, [count, 1, BlurSize, BlurSize]).to(device).repeat_interleave(channels, 0);
                x = nn.functional.conv2d(x.reshape(1, count * channels, shape.Height, shape.Width), kernels,
                    padding: [BlurRadius, BlurRadius], groups: count * channels).reshape(x.shape);
            }
            if (Lines is not null)
                x = x.maximum(tensor(Lines, [count, 1, shape.Height, 1]).to(device)); // under the ink: the brighter wins
            if (Scribbles is not null)
                x = x.maximum(tensor(Scribbles, [count, 1, shape.Height, shape.Width]).to(device));
            if (Contrast is not null)
            {
                var mean = x.mean([1, 2, 3], keepdim: true);
                x = x.sub(mean).mul(PerImage(Contrast)).add(mean);
            }
            if (Fog is not null)
            {
                // (n, 1, 4, 4) -> (n, 1, H, W), corners on the corner pixels.
                var fog = nn.functional.interpolate(tensor(Fog, [count, 1, FogCells, FogCells]).to(device),
                    [shape.Height, shape.Width], mode: InterpolationMode.Bilinear, align_corners: true);
                x = x.add(fog);
                changed = true;
            }
            if (NoiseStd is not null || Impulse is not null)
            {
                using var generator = new Generator(NoiseSeed, device);
                if (NoiseStd is not null)
                    x = x.add(randn(x.shape, x.dtype, device, generator: generator).mul(PerImage(NoiseStd)));
                if (Impulse is not null)
                {
                    var u = rand(x.shape, x.dtype, device, generator: generator);
                    var half = PerImage(Impulse).div(2);
                    x = where(u.lt(half), zeros_like(x), where(u.gt(half.neg().add(1)), ones_like(x), x));
                }
                changed = true;
            }
            return changed || Contrast is not null || Blur is not null ? x.clamp(0, 1) : x;
        }

        private Tensor Mask(bool[]? chosen, torch.Device device) =>
            chosen is null ? zeros([count, 1, 1, 1], ScalarType.Bool, device) : tensor(chosen, [count, 1, 1, 1]).to(device);
    }
}
