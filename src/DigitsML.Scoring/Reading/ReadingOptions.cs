// ReadingOptions.cs — the settings of NumberReader and ReadNumber, every default stated once here.
namespace DigitsML;

/// <summary>How <see cref="NumberReader"/> finds and judges the digits of a number. The defaults suit a photo or scan of
/// one row of handwritten digits, and MNIST-style images of light ink on black.</summary>
public sealed record ReadingOptions
{
    /// <summary>The default of <see cref="UncertainMark"/>: '?'.</summary>
    public const char DefaultUncertainMark = '?';

    /// <summary>A digit whose confidence (the model's probability of its answer) is below this is marked uncertain;
    /// default 0.6. 0 marks nothing.</summary>
    public float UncertainBelow { get; init; } = 0.6f;

    /// <summary>What stands for an uncertain digit in <see cref="NumberReading.MarkedText"/>; default '?'.</summary>
    public char UncertainMark { get; init; } = DefaultUncertainMark;

    /// <summary>How ink is told from paper; default <see cref="DigitInk.Auto"/>: paper is what most of the image is.</summary>
    public DigitInk Ink { get; init; } = DigitInk.Auto;

    /// <summary>Pieces of ink smaller than this share of the image's largest piece (in pixels) are specks and are
    /// ignored, unless they lie within a digit's column and near it (a broken stroke); default 0.04.</summary>
    public float SpeckShare { get; init; } = 0.04f;

    /// <summary>An ink blob wider than this many times its height is tried as several touching digits, and the split
    /// the model is surest of is kept (a single digit still wins when the model is surer of it); default 1.</summary>
    public float SplitWiderThan { get; init; } = 1f;

    /// <summary>The most digits read from one image; an image with more separate pieces of ink is not a number and
    /// gives an empty reading saying so; default 32.</summary>
    public int MaxDigits { get; init; } = 32;

    /// <summary>Images with more pixels are refused (an empty reading saying so) before their pixels are allocated;
    /// default <see cref="DigitFeatures.MaxPixels"/> (64 Mi).</summary>
    public int MaxPixels { get; init; } = DigitFeatures.MaxPixels;

    /// <summary>Checks every setting.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is outside its range; the message names it.</exception>
    internal void Validate()
    {
        if (!(UncertainBelow >= 0 && UncertainBelow <= 1))
            throw new ArgumentOutOfRangeException(nameof(UncertainBelow), UncertainBelow, "A confidence threshold must be in [0, 1].");
        if (!Enum.IsDefined(Ink))
            throw new ArgumentOutOfRangeException(nameof(Ink), Ink, "Not a DigitInk value.");
        if (!(SpeckShare >= 0 && SpeckShare < 1))
            throw new ArgumentOutOfRangeException(nameof(SpeckShare), SpeckShare, "A speck's share must be in [0, 1).");
        if (!(SplitWiderThan > 0.2f && SplitWiderThan <= 10))
            throw new ArgumentOutOfRangeException(nameof(SplitWiderThan), SplitWiderThan, "The split width must be in (0.2, 10] digit heights.");
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxDigits, 1, nameof(MaxDigits));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxPixels, 1, nameof(MaxPixels));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxPixels, DigitFeatures.MaxPixels, nameof(MaxPixels));
        if (char.IsDigit(UncertainMark))
            throw new ArgumentOutOfRangeException(nameof(UncertainMark), UncertainMark, "The uncertain mark must not be a digit.");
    }
}
