// DigitInk.cs — which way round a digit image's ink and paper are, for NormalizeDigit.
namespace DigitsML;

/// <summary>How <c>ml.Transforms.NormalizeDigit</c> tells ink from paper.</summary>
public enum DigitInk
{
    /// <summary>Decided per image from its border: when the border's median is nearer the image's brightest levels than
    /// its darkest, the paper is light and the image is inverted (a photo or scan); otherwise it is used as it is (MNIST).
    /// When the light is uneven (the border's own levels spread widely) and that is a close call, the same test is made
    /// on the image divided by its local mean, where the paper is near 1 everywhere.</summary>
    Auto,

    /// <summary>Dark ink on light paper (photos and scans): always inverted.</summary>
    DarkOnLight,

    /// <summary>Light ink on a dark background (MNIST): never inverted.</summary>
    LightOnDark,
}
