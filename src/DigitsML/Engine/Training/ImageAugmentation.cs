// ImageAugmentation.cs — random rotation and shift of training images, drawn per image and per epoch, applied on the
// device with libtorch's affine_grid and grid_sample.
using TorchSharp;
using static TorchSharp.torch;

namespace DigitsML.Engine;

/// <summary>Training-time augmentation: each image is rotated by a uniform angle in ±<see cref="MaxRotationDegrees"/>
/// and shifted by uniform fractions in ±<see cref="MaxTranslation"/> of its width and height (bilinear, empty areas
/// black). Validation and test images are never augmented. The default does nothing.</summary>
public sealed record ImageAugmentation
{
    /// <summary>Largest rotation either way, in degrees; default 0.</summary>
    public double MaxRotationDegrees { get; init; }

    /// <summary>Largest shift either way, as a fraction of the image size; default 0.</summary>
    public double MaxTranslation { get; init; }

    /// <summary>No augmentation (the default).</summary>
    public static ImageAugmentation None { get; } = new();

    /// <summary>An et al.'s setting: up to 20° and 20 % of the image size.</summary>
    public static ImageAugmentation AnEtAl { get; } = new() { MaxRotationDegrees = 20, MaxTranslation = 0.2 };

    /// <summary>Whether this setting changes images at all.</summary>
    public bool IsActive => MaxRotationDegrees != 0 || MaxTranslation != 0;

    /// <exception cref="ArgumentOutOfRangeException">A setting is negative, not finite or too large.</exception>
    internal void Validate()
    {
        if (!(MaxRotationDegrees >= 0 && MaxRotationDegrees <= 180))
            throw new ArgumentOutOfRangeException(nameof(MaxRotationDegrees), MaxRotationDegrees, "Must be in [0, 180].");
        if (!(MaxTranslation >= 0 && MaxTranslation <= 1))
            throw new ArgumentOutOfRangeException(nameof(MaxTranslation), MaxTranslation, "Must be in [0, 1].");
    }

    /// <summary>Draws an angle and a shift for each image of <paramref name="images"/> ((n, C, H, W) on any device) from
    /// <paramref name="random"/> and returns the transformed batch on the same device.</summary>
    internal Tensor Apply(Tensor images, TensorShape shape, Random random)
    {
        int count = (int)images.shape[0];
        var degrees = new float[count];
        var shifts = new float[2 * count];
        for (int i = 0; i < count; i++)
        {
            degrees[i] = (float)((random.NextDouble() * 2 - 1) * MaxRotationDegrees);
            shifts[2 * i] = (float)((random.NextDouble() * 2 - 1) * MaxTranslation);
            shifts[2 * i + 1] = (float)((random.NextDouble() * 2 - 1) * MaxTranslation);
        }
        return Affine(images, shape, degrees, shifts);
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
        Affine(batch, shape, degrees, shifts).contiguous().data<float>().CopyTo(output);
    }

    /// <summary>The rotation and shift of each image in one affine_grid and grid_sample call (bilinear, zero fill).</summary>
    private static Tensor Affine(Tensor images, TensorShape shape, ReadOnlySpan<float> degrees, ReadOnlySpan<float> shifts)
    {
        int count = degrees.Length;
        // theta maps output coordinates to input coordinates in [-1, 1] units, so it holds the inverse transform:
        // rotating the content by +a and shifting it by (dx, dy) samples at R(-a)·(p - 2·d). The y axis points down in
        // image coordinates, so a counter-clockwise turn on screen is -a here.
        var theta = new float[count * 6];
        for (int i = 0; i < count; i++)
        {
            double a = degrees[i] * Math.PI / 180.0, c = Math.Cos(a), s = Math.Sin(a);
            double dx = 2.0 * shifts[2 * i], dy = 2.0 * shifts[2 * i + 1];
            theta[6 * i + 0] = (float)c;
            theta[6 * i + 1] = (float)-s;
            theta[6 * i + 2] = (float)-(c * dx - s * dy);
            theta[6 * i + 3] = (float)s;
            theta[6 * i + 4] = (float)c;
            theta[6 * i + 5] = (float)-(s * dx + c * dy);
        }
        using var hostTheta = tensor(theta, [count, 2, 3]);
        using var onDevice = hostTheta.to(images.device);
        // grid: (n, H, W, 2) -> sampled: (n, C, H, W)
        using var grid = nn.functional.affine_grid(onDevice, [count, shape.Channels, shape.Height, shape.Width], align_corners: false);
        return nn.functional.grid_sample(images, grid, GridSampleMode.Bilinear, GridSamplePaddingMode.Zeros, align_corners: false);
    }
}
