// ImageAugmentation.cs — random rotation and shift of training images, drawn per image and per epoch.
using DigitsML.Interop;

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

    /// <summary>Draws an angle and a shift for each of <paramref name="count"/> images from <paramref name="random"/>
    /// and applies them to <paramref name="images"/>, writing <paramref name="output"/>.</summary>
    internal void Apply(ReadOnlySpan<float> images, Span<float> output, int count, TensorShape shape, Random random)
    {
        var degrees = new float[count];
        var shifts = new float[2 * count];
        for (int i = 0; i < count; i++)
        {
            degrees[i] = (float)((random.NextDouble() * 2 - 1) * MaxRotationDegrees);
            shifts[2 * i] = (float)((random.NextDouble() * 2 - 1) * MaxTranslation);
            shifts[2 * i + 1] = (float)((random.NextDouble() * 2 - 1) * MaxTranslation);
        }
        Transform(images, output, count, shape, degrees, shifts);
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
        unsafe
        {
            fixed (float* x = images)
            fixed (float* y = output)
            fixed (float* d = degrees)
            fixed (float* s = shifts)
            {
                NativeError.Check(NativeMethods.AugmentAffine(x, y, count, shape.Channels, shape.Height, shape.Width, d, s),
                    "augmenting a batch");
            }
        }
    }
}
