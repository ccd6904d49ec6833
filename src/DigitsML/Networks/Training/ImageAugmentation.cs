// ImageAugmentation.cs — the augmentation recipe's options and its geometry (rotation, scale, shear, shift) drawn per image
// and per epoch, applied on the device with libtorch's affine_grid and grid_sample.
using DigitsML.Engine;
using TorchSharp;
using static TorchSharp.torch;

namespace DigitsML.Networks;

/// <summary>Training-time augmentation, drawn per image and per epoch from the trainer's seeded generator and applied
/// to the batch on the device. Geometry first (rotation, scale, shear and shift in one bilinear resampling, empty areas
/// black), then stroke width, blur, ruled lines, scribbles, contrast, background light and noise, each on a random
/// share of the images given by its probability; pixels stay in [0, 1]. Validation and test images are never augmented.
/// Every probability and every geometric range defaults to 0 (the default does nothing); the strengths have defaults
/// that reach the robustness set's corruptions (docs/robustness.md), so a recipe usually sets only probabilities.</summary>
public sealed partial record ImageAugmentation
{
    /// <summary>Largest rotation either way, in degrees; default 0.</summary>
    public double MaxRotationDegrees { get; init; }

    /// <summary>Largest shift either way, as a fraction of the image size; default 0.</summary>
    public double MaxTranslation { get; init; }

    /// <summary>Smallest scale factor about the image centre, in [0.1, 1]; default 1. The factor is drawn log-uniformly
    /// between <see cref="MinScale"/> and <see cref="MaxScale"/>.</summary>
    public double MinScale { get; init; } = 1;

    /// <summary>Largest scale factor, in [1, 4]; default 1.</summary>
    public double MaxScale { get; init; } = 1;

    /// <summary>Largest sideways shear factor either way (x moves by factor × y about the centre), in [0, 2]; default 0.</summary>
    public double MaxShear { get; init; }

    /// <summary>Share of images given an elastic distortion (Simard et al. 2003): each pixel moved by a random field of
    /// uniform displacements in [-1, 1] smoothed by a Gaussian of σ <see cref="ElasticSigma"/> pixels and scaled by
    /// <see cref="ElasticAlpha"/>, in the same resampling as the rest of the geometry; default 0.</summary>
    public double ElasticProbability { get; init; }

    /// <summary>Scale of the elastic field, in (0, 100]; default 34 (Simard et al.'s for 28 × 28 digits: about 1.4 pixels
    /// of displacement at the root mean square, varying over 4–8 pixels).</summary>
    public double ElasticAlpha { get; init; } = 34;

    /// <summary>Smoothness of the elastic field: the Gaussian's σ in pixels, in [1, 8]; default 4.</summary>
    public double ElasticSigma { get; init; } = 4;

    /// <summary>Share of images brought down to a low resolution and back, as a low-dpi scan captures handwriting: the
    /// image is area-averaged to the size at which its 20-pixel digit box is <see cref="MinLowResolutionHeight"/>–16
    /// pixels tall (uniform), then scaled back bilinearly; default 0.</summary>
    public double LowResolutionProbability { get; init; }

    /// <summary>Smallest digit height of <see cref="LowResolutionProbability"/>, in pixels, in [4, 16]; default 8.</summary>
    public double MinLowResolutionHeight { get; init; } = 8;

    /// <summary>Share of images whose strokes are widened (3 × 3 grey dilation) or, as often, narrowed (grey erosion by a
    /// 3 × 3 plus, then stretched back to the image's peak); default 0.</summary>
    public double StrokeProbability { get; init; }

    /// <summary>Share of images blurred by a Gaussian with a random direction: σ uniform in [0.5, <see cref="MaxBlurSigma"/>]
    /// along it and in [0.3, that σ] across it, so blurs range from round to a smear along a line; default 0.</summary>
    public double BlurProbability { get; init; }

    /// <summary>Largest blur σ in pixels, in [0.5, 3]; default 1.6.</summary>
    public double MaxBlurSigma { get; init; } = 1.6;

    /// <summary>Share of images laid on ruled paper: 1-pixel rows every 8–15 pixels at a level of 0.3–0.8, under the
    /// ink; default 0.</summary>
    public double LinesProbability { get; init; }

    /// <summary>Share of images scribbled over: a polyline of 3–5 random vertices, 1 or 2 pixels wide, at a level of
    /// 0.6–1; default 0.</summary>
    public double ScribbleProbability { get; init; }

    /// <summary>Share of images whose contrast about their mean is cut to a factor uniform in [<see cref="MinContrast"/>,
    /// 1]; default 0.</summary>
    public double ContrastProbability { get; init; }

    /// <summary>Smallest contrast factor, in [0.05, 1]; default 0.3.</summary>
    public double MinContrast { get; init; } = 0.3;

    /// <summary>Share of images given a bright background: a level uniform in [0, <see cref="MaxBackground"/>] plus an
    /// uneven 4 × 4 fog up-sampled bilinearly, of strength uniform in [0, <see cref="MaxBackground"/>], added and
    /// clipped; default 0.</summary>
    public double BackgroundProbability { get; init; }

    /// <summary>Largest background level and fog strength, in (0, 1]; default 0.6.</summary>
    public double MaxBackground { get; init; } = 0.6;

    /// <summary>Share of images given Gaussian noise of σ uniform in [0, <see cref="MaxNoiseStd"/>], clipped; default 0.</summary>
    public double NoiseProbability { get; init; }

    /// <summary>Largest Gaussian noise σ, in (0, 1]; default 0.3.</summary>
    public double MaxNoiseStd { get; init; } = 0.3;

    /// <summary>Share of images given salt-and-pepper noise: a fraction uniform in [0, <see cref="MaxImpulseFraction"/>] of
    /// the pixels, half set to 0 and half to 1; default 0.</summary>
    public double ImpulseProbability { get; init; }

    /// <summary>Largest fraction of pixels salt-and-peppered, in (0, 1]; default 0.15.</summary>
    public double MaxImpulseFraction { get; init; } = 0.15;

    /// <summary>No augmentation (the default).</summary>
    public static ImageAugmentation None { get; } = new();

    /// <summary>An et al.'s setting: up to 20° and 20 % of the image size.</summary>
    public static ImageAugmentation AnEtAl { get; } = new() { MaxRotationDegrees = 20, MaxTranslation = 0.2 };

    /// <summary>The robustness setting (docs/robustness.md; <see cref="DigitsML.Trainers.TrainingPresets.Robust"/>, what <c>digits train</c> trains by default): every image moved
    /// (rotation ±25°, shift ±15 %, scale 0.7–1.25, shear ±0.4), and a share of them changed as apps' images are: stroke
    /// width 15 %, blur 10 %, ruled lines 5 %, scribbles 5 %, contrast 10 %, background light 15 %, Gaussian noise 5 %,
    /// impulse noise 10 %. Chosen on a validation set made from training images 55,000–59,999 (make_robust.py
    /// --train-slice), never on the test set: at 3 epochs on the other 55,000 it beat a stronger setting (±35°, ±18 %,
    /// scale 0.55–1.4, shear 0.6, probabilities 0.1–0.2) on every row but rotate: clean 98.02 against 96.84 %,
    /// corruptions 94.57 against 92.55 %, other writers 91.67 against 83.65 %.</summary>
    public static ImageAugmentation Robust { get; } = new()
    {
        MaxRotationDegrees = 25,
        MaxTranslation = 0.15,
        MinScale = 0.7,
        MaxScale = 1.25,
        MaxShear = 0.4,
        StrokeProbability = 0.15,
        BlurProbability = 0.1,
        LinesProbability = 0.05,
        ScribbleProbability = 0.05,
        ContrastProbability = 0.1,
        BackgroundProbability = 0.15,
        NoiseProbability = 0.05,
        ImpulseProbability = 0.1,
    };

    /// <summary>Whether this setting changes images at all.</summary>
    public bool IsActive => IsGeometric || LowResolutionProbability > 0 || StrokeProbability > 0 || BlurProbability > 0 || LinesProbability > 0 ||
                            ScribbleProbability > 0 || ContrastProbability > 0 || BackgroundProbability > 0 ||
                            NoiseProbability > 0 || ImpulseProbability > 0;

    /// <summary>Whether images are resampled (rotation, shift, scale or shear).</summary>
    private bool IsGeometric => MaxRotationDegrees != 0 || MaxTranslation != 0 || MinScale != 1 || MaxScale != 1 || MaxShear != 0 ||
                                ElasticProbability > 0;

    /// <summary>The settings in one phrase, e.g. "rotate ±20°, shift ±20 %" for <see cref="AnEtAl"/>, "none" for
    /// <see cref="None"/>; an operation's strength is named where it differs from its default.</summary>
    public string Summary()
    {
        static string N(double v) => v.ToString("G4", System.Globalization.CultureInfo.InvariantCulture);
        static string Pct(double p) => $"{N(p * 100)} %";
        var parts = new List<string>();
        if (MaxRotationDegrees != 0 || MaxTranslation != 0)
            parts.Add($"rotate ±{N(MaxRotationDegrees)}°, shift ±{N(MaxTranslation * 100)} %");
        if (MinScale != 1 || MaxScale != 1)
            parts.Add($"scale {N(MinScale)}–{N(MaxScale)}");
        if (MaxShear != 0)
            parts.Add($"shear ±{N(MaxShear)}");
        var defaults = new ImageAugmentation();
        Add("elastic", ElasticProbability,
            ElasticAlpha != defaults.ElasticAlpha || ElasticSigma != defaults.ElasticSigma ? $"α {N(ElasticAlpha)}, σ {N(ElasticSigma)}" : null);
        Add("low resolution", LowResolutionProbability,
            MinLowResolutionHeight != defaults.MinLowResolutionHeight ? $"digits ≥ {N(MinLowResolutionHeight)} px" : null);
        void Add(string name, double p, string? strength = null)
        {
            if (p > 0)
                parts.Add($"{name} {Pct(p)}{(strength is null ? "" : $" ({strength})")}");
        }
        Add("stroke", StrokeProbability);
        Add("blur", BlurProbability, MaxBlurSigma != defaults.MaxBlurSigma ? $"σ ≤ {N(MaxBlurSigma)}" : null);
        Add("lines", LinesProbability);
        Add("scribble", ScribbleProbability);
        Add("contrast", ContrastProbability, MinContrast != defaults.MinContrast ? $"≥ {N(MinContrast)}" : null);
        Add("background", BackgroundProbability, MaxBackground != defaults.MaxBackground ? $"≤ {N(MaxBackground)}" : null);
        Add("noise", NoiseProbability, MaxNoiseStd != defaults.MaxNoiseStd ? $"σ ≤ {N(MaxNoiseStd)}" : null);
        Add("impulse", ImpulseProbability, MaxImpulseFraction != defaults.MaxImpulseFraction ? $"≤ {Pct(MaxImpulseFraction)}" : null);
        return parts.Count == 0 ? "none" : string.Join(", ", parts);
    }

    /// <exception cref="ArgumentOutOfRangeException">A setting is not finite or out of its range; the message names it
    /// and the range.</exception>
    internal void Validate()
    {
        Check(MaxRotationDegrees, 0, 180, nameof(MaxRotationDegrees));
        Check(MaxTranslation, 0, 1, nameof(MaxTranslation));
        Check(MinScale, 0.1, 1, nameof(MinScale));
        Check(MaxScale, 1, 4, nameof(MaxScale));
        Check(MaxShear, 0, 2, nameof(MaxShear));
        foreach (var (value, name) in new[]
                 {
                     (ElasticProbability, nameof(ElasticProbability)), (LowResolutionProbability, nameof(LowResolutionProbability)),
                     (StrokeProbability, nameof(StrokeProbability)), (BlurProbability, nameof(BlurProbability)),
                     (LinesProbability, nameof(LinesProbability)), (ScribbleProbability, nameof(ScribbleProbability)),
                     (ContrastProbability, nameof(ContrastProbability)), (BackgroundProbability, nameof(BackgroundProbability)),
                     (NoiseProbability, nameof(NoiseProbability)), (ImpulseProbability, nameof(ImpulseProbability)),
                 })
            Check(value, 0, 1, name);
        if (!(ElasticAlpha > 0 && ElasticAlpha <= 100))
            throw new ArgumentOutOfRangeException(nameof(ElasticAlpha), ElasticAlpha, $"{nameof(ElasticAlpha)} must be in (0, 100].");
        Check(ElasticSigma, 1, 8, nameof(ElasticSigma));
        Check(MinLowResolutionHeight, 4, LowResolutionMaxHeight, nameof(MinLowResolutionHeight));
        Check(MaxBlurSigma, 0.5, 3, nameof(MaxBlurSigma));
        Check(MinContrast, 0.05, 1, nameof(MinContrast));
        CheckPositive(MaxBackground, nameof(MaxBackground));
        CheckPositive(MaxNoiseStd, nameof(MaxNoiseStd));
        CheckPositive(MaxImpulseFraction, nameof(MaxImpulseFraction));
    }

    private static void Check(double value, double min, double max, string name)
    {
        if (!(value >= min && value <= max))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be in [{min}, {max}].");
    }

    private static void CheckPositive(double value, string name)
    {
        if (!(value > 0 && value <= 1))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be in (0, 1].");
    }

    /// <summary>Draws each image's transformation of <paramref name="images"/> ((n, C, H, W) in [0, 1], on any device)
    /// from <paramref name="random"/> and returns the transformed batch on the same device. With only rotation and shift
    /// set, the draws (angle, shift x, shift y per image) and results are those of the first edition.</summary>
    internal Tensor Apply(Tensor images, TensorShape shape, Random random)
    {
        int count = (int)images.shape[0];
        var geometry = IsGeometric ? DrawGeometry(count, random) : null;
        var photometric = DrawPhotometric(count, shape, random);
        using var scope = NewDisposeScope();
        var x = geometry is null ? images.alias() : Affine(images, shape, geometry.Degrees, geometry.Shifts,
            geometry.Scales, geometry.Shears, geometry.Elastic is null ? null : ElasticField(geometry, shape, images.device));
        x = photometric.Apply(x, shape);
        return x.MoveToOuterDisposeScope();
    }

    /// <summary>One batch's drawn geometry; Scales, Shears and Elastic null where the recipe has none.</summary>
    private sealed record Geometry(float[] Degrees, float[] Shifts, float[]? Scales, float[]? Shears, float[]? Elastic, ulong ElasticSeed);

    private Geometry DrawGeometry(int count, Random random)
    {
        var degrees = new float[count];
        var shifts = new float[2 * count];
        bool scaled = MinScale != 1 || MaxScale != 1, sheared = MaxShear != 0;
        var scales = scaled ? new float[count] : null;
        var shears = sheared ? new float[count] : null;
        var elastic = ElasticProbability > 0 ? new float[count] : null;
        double logMin = Math.Log(MinScale), logMax = Math.Log(MaxScale);
        for (int i = 0; i < count; i++)
        {
            degrees[i] = (float)((random.NextDouble() * 2 - 1) * MaxRotationDegrees);
            shifts[2 * i] = (float)((random.NextDouble() * 2 - 1) * MaxTranslation);
            shifts[2 * i + 1] = (float)((random.NextDouble() * 2 - 1) * MaxTranslation);
            if (scales is not null)
                scales[i] = (float)Math.Exp(logMin + random.NextDouble() * (logMax - logMin));
            if (shears is not null)
                shears[i] = (float)((random.NextDouble() * 2 - 1) * MaxShear);
            if (elastic is not null && random.NextDouble() < ElasticProbability)
                elastic[i] = 1f;
        }
        // The fields themselves are drawn on the device from a generator seeded here, so they repeat from the seed too.
        ulong elasticSeed = elastic is null ? 0 : (ulong)random.NextInt64();
        return new(degrees, shifts, scales, shears, elastic, elasticSeed);
    }

    /// <summary>The elastic displacement of every image in [-1, 1] grid units, (n, H, W, 2) as grid_sample's grid: uniform
    /// noise smoothed by a separable Gaussian of σ <see cref="ElasticSigma"/>, times <see cref="ElasticAlpha"/> pixels, zero
    /// for images not drawn. Tensors made here belong to the caller's dispose scope.</summary>
    private Tensor ElasticField(Geometry geometry, TensorShape shape, torch.Device device)
    {
        int count = geometry.Degrees.Length, h = shape.Height, w = shape.Width, radius = (int)Math.Ceiling(3 * ElasticSigma);
        var taps = new float[2 * radius + 1];
        for (int k = -radius; k <= radius; k++)
            taps[k + radius] = (float)Math.Exp(-k * k / (2 * ElasticSigma * ElasticSigma));
        float total = taps.Sum();
        for (int k = 0; k < taps.Length; k++)
            taps[k] /= total;
        using var generator = new Generator(geometry.ElasticSeed, device);
        // (n·2, 1, H, W): one channel per displacement component, smoothed along x then along y.
        var field = rand([count * 2L, 1, h, w], float32, device, generator: generator).mul(2).sub(1);
        var kernel = tensor(taps, [1, 1, 1, taps.Length]).to(device);
        field = nn.functional.conv2d(field, kernel, padding: [0, radius]);
        field = nn.functional.conv2d(field, kernel.reshape(1, 1, taps.Length, 1), padding: [radius, 0]);
        // Pixels to grid units (the grid spans 2 over W or H pixels), masked to the drawn images.
        var perPixel = tensor(new[] { 2f / w, 2f / h }, [1, 1, 1, 2]).to(device);
        var mask = tensor(geometry.Elastic!, [count, 1, 1, 1]).to(device);
        return field.reshape(count, 2, h, w).permute(0, 2, 3, 1).mul(perPixel).mul((float)ElasticAlpha).mul(mask);
    }

    /// <summary>Rotates image i by <paramref name="degrees"/>[i] counter-clockwise and shifts it by
    /// (<paramref name="shifts"/>[2i], <paramref name="shifts"/>[2i+1]) of its width and height, right and down.</summary>
    /// <exception cref="ArgumentException">Lengths do not match count and shape.</exception>
    public static void Transform(ReadOnlySpan<float> images, Span<float> output, int count, TensorShape shape,
        ReadOnlySpan<float> degrees, ReadOnlySpan<float> shifts)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (shape.Rank != 3)
            throw new ArgumentException($"Augmentation needs images; the shape is {shape}.", nameof(shape));
        long length = count * shape.Elements;
        if (images.Length != length || output.Length != length || degrees.Length != count || shifts.Length != 2 * count)
            throw new ArgumentException($"{count} images of {shape} need {length} values in and out, {count} angles and {2 * count} shifts.");
        for (int i = 0; i < count; i++)
            if (!float.IsFinite(degrees[i]) || !float.IsFinite(shifts[2 * i]) || !float.IsFinite(shifts[2 * i + 1]))
                throw new ArgumentException($"The angle and shift of image {i} must be finite.");
        TorchRuntime.EnsureInitialized();
        using var scope = NewDisposeScope();
        var batch = empty([count, shape.Channels, shape.Height, shape.Width], float32);
        batch.data<float>().CopyFrom(images);
        Affine(batch, shape, degrees, shifts, null, null, null).contiguous().data<float>().CopyTo(output);
    }

    /// <summary>The rotation, scale, shear and shift of each image in one affine_grid and grid_sample call (bilinear,
    /// zero fill), moved further by <paramref name="displacement"/> ((n, H, W, 2) in grid units) where given. Without
    /// scales, shears and displacement (null) the matrices are exactly the first edition's.</summary>
    private static Tensor Affine(Tensor images, TensorShape shape, ReadOnlySpan<float> degrees, ReadOnlySpan<float> shifts,
        float[]? scales, float[]? shears, Tensor? displacement)
    {
        int count = degrees.Length;
        // theta maps output coordinates to input coordinates in [-1, 1] units, so it holds the inverse transform. The
        // content is scaled by k, sheared (x += h·y), rotated by +a and shifted by d, so it samples at
        // M·(p - 2·d) with M = (1/k)·[[1, -h], [0, 1]]·R(-a). The y axis points down in image coordinates, so a
        // counter-clockwise turn on screen is -a here.
        var theta = new float[count * 6];
        for (int i = 0; i < count; i++)
        {
            double a = degrees[i] * Math.PI / 180.0, c = Math.Cos(a), s = Math.Sin(a);
            double dx = 2.0 * shifts[2 * i], dy = 2.0 * shifts[2 * i + 1];
            double h = shears?[i] ?? 0, inverseScale = scales is null ? 1 : 1.0 / scales[i];
            double m00 = inverseScale * (c - h * s), m01 = inverseScale * (-s - h * c), m10 = inverseScale * s, m11 = inverseScale * c;
            theta[6 * i + 0] = (float)m00;
            theta[6 * i + 1] = (float)m01;
            theta[6 * i + 2] = (float)-(m00 * dx + m01 * dy);
            theta[6 * i + 3] = (float)m10;
            theta[6 * i + 4] = (float)m11;
            theta[6 * i + 5] = (float)-(m10 * dx + m11 * dy);
        }
        using var hostTheta = tensor(theta, [count, 2, 3]);
        using var onDevice = hostTheta.to(images.device);
        // grid: (n, H, W, 2) -> sampled: (n, C, H, W)
        using var affine = nn.functional.affine_grid(onDevice, [count, shape.Channels, shape.Height, shape.Width], align_corners: false);
        using var grid = displacement is null ? affine.alias() : affine.add(displacement);
        return nn.functional.grid_sample(images, grid, GridSampleMode.Bilinear, GridSamplePaddingMode.Zeros, align_corners: false);
    }
}
