// DigitsTransformsCatalog.cs — ml.Transforms.NormalizeDigit: DigitsML's transforms as extensions of ML.NET's catalog.
using DigitsML.Transforms;
using Microsoft.ML;

namespace DigitsML;

/// <summary>Transforms for digit images, reached from <c>ml.Transforms</c> of an <see cref="MLContext"/>.</summary>
public static class DigitsTransformsCatalog
{
    /// <summary>MNIST's preparation of each digit image, as <see cref="NormalizeDigitEstimator"/> describes it step by
    /// step: an image column from <c>ml.Transforms.LoadImages</c> in, <c>Vector&lt;Single, 1, 28, 28&gt;</c> features out,
    /// ready for a model trained on MNIST.</summary>
    /// <param name="catalog">The transforms catalog, <c>ml.Transforms</c>.</param>
    /// <param name="outputColumnName">The features column to add; default "Features".</param>
    /// <param name="inputColumnName">The image column; default "Image".</param>
    /// <param name="ink">How ink is told from paper; default <see cref="DigitInk.Auto"/>, per image.</param>
    /// <exception cref="ArgumentException">A column name is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="ink"/> is not a <see cref="DigitInk"/>.</exception>
    public static NormalizeDigitEstimator NormalizeDigit(this TransformsCatalog catalog, string outputColumnName = "Features",
        string inputColumnName = "Image", DigitInk ink = DigitInk.Auto)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new NormalizeDigitEstimator(outputColumnName, inputColumnName, ink);
    }
}
