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

    /// <summary>Reads the handwritten number in each row's image with a digit model, as <see cref="ReadNumberEstimator"/>
    /// and <see cref="NumberReader"/> describe: an image column (from <c>ml.Transforms.LoadImages</c>) or a text column
    /// of image paths in; the number as text (uncertain digits as '?') and a vector of each digit's confidence out. Over
    /// a line reader model with the default options (any ink) the fitted step saves with <c>ml.Model.Save</c> and loads
    /// back with the pipeline; over a digit classifier, or with other options, it cannot be saved (see
    /// <see cref="ReadNumberTransformer.CanSave"/>): save the model instead.</summary>
    /// <param name="catalog">The transforms catalog, <c>ml.Transforms</c>.</param>
    /// <param name="model">The loaded digit model or line reader model (<c>ml.Model.Load</c>); owned by the caller.</param>
    /// <param name="outputColumnName">The number's column (String); default "Number".</param>
    /// <param name="inputColumnName">The image or path column; default "Image".</param>
    /// <param name="confidencesColumnName">The confidences' column (vector of Single); default "Confidences".</param>
    /// <param name="options">How digits are found and judged; default <see cref="ReadingOptions"/>' defaults.</param>
    /// <exception cref="ArgumentException">A column name is empty, or the two output names are the same.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the message names it.</exception>
    public static ReadNumberEstimator ReadNumber(this TransformsCatalog catalog, ITransformer model, string outputColumnName = "Number",
        string inputColumnName = "Image", string confidencesColumnName = "Confidences", ReadingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new ReadNumberEstimator(model, outputColumnName, confidencesColumnName, inputColumnName, options);
    }

    /// <summary>Reads the handwritten number in each row's image with the line reader shipped in this package
    /// (<c>ml.Model.LoadPretrainedReader()</c>, loaded once per process and shared by every step made this way), as
    /// <see cref="ReadNumber(TransformsCatalog, ITransformer, string, string, string, ReadingOptions?)"/> does with a
    /// model given: no model file, no training.</summary>
    /// <param name="catalog">The transforms catalog, <c>ml.Transforms</c>.</param>
    /// <param name="outputColumnName">The number's column (String); default "Number".</param>
    /// <param name="inputColumnName">The image or path column; default "Image".</param>
    /// <param name="confidencesColumnName">The confidences' column (vector of Single); default "Confidences".</param>
    /// <param name="options">How digits are found and judged; default <see cref="ReadingOptions"/>' defaults.</param>
    /// <exception cref="ArgumentException">A column name is empty, or the two output names are the same.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the message names it.</exception>
    public static ReadNumberEstimator ReadNumber(this TransformsCatalog catalog, string outputColumnName = "Number",
        string inputColumnName = "Image", string confidencesColumnName = "Confidences", ReadingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new ReadNumberEstimator(PretrainedModels.SharedReader, outputColumnName, confidencesColumnName, inputColumnName, options);
    }
}
