// DigitNormalizingEstimator.cs — turns a digit image into MNIST's 28 × 28 feature vector (NormalizeDigit).
using DigitsML.Data;
using DigitsML.Imaging;

namespace DigitsML.Transforms;

/// <summary>Adds <c>Vector&lt;Single, 1, 28, 28&gt;</c> features made from an image column the way MNIST's digits were
/// made: ink bright on dark in [0, 1] (light-paper photos and scans inverted, see <see cref="DigitInk"/>), cropped to the
/// ink, scaled to fit 20 × 20 keeping the aspect ratio with area-averaging anti-aliasing, and placed in a 28 × 28 frame
/// with the ink's centre of mass at the centre. The result is what <c>LoadFromIdx</c> gives for MNIST, so a CNN trained
/// on MNIST scores it directly. One digit per image; an image without ink gives all zeros. A fixed map: fitting reads
/// no data. Reached as <c>ml.Transforms.NormalizeDigit</c>.</summary>
public sealed class DigitNormalizingEstimator : IEstimator<DigitNormalizingTransformer>
{
    private readonly string outputColumnName;
    private readonly string inputColumnName;
    private readonly DigitInk ink;

    internal DigitNormalizingEstimator(string outputColumnName, string inputColumnName, DigitInk ink)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputColumnName);
        ArgumentException.ThrowIfNullOrEmpty(inputColumnName);
        if (!Enum.IsDefined(ink))
            throw new ArgumentOutOfRangeException(nameof(ink), ink, "Not a DigitInk value.");
        this.outputColumnName = outputColumnName;
        this.inputColumnName = inputColumnName;
        this.ink = ink;
    }

    /// <summary>Checks the input column and returns the transformer.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The input column is missing or not an image.</exception>
    public DigitNormalizingTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        DigitNormalizingTransformer.CheckInput(input.Schema, inputColumnName);
        return new DigitNormalizingTransformer(outputColumnName, inputColumnName, ink);
    }

    /// <summary>Adds a known-size vector of <c>Single</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The input column is missing or not an image.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var input = SchemaErrors.Find(inputSchema, "input", inputColumnName);
        if (input.Kind != SchemaShape.Column.VectorKind.Scalar || input.ItemType is not ImageDataViewType)
            throw SchemaErrors.Mismatch("input", inputColumnName, "an image (from LoadImages)", input.GetTypeString());
        var output = new SchemaShape.Column(outputColumnName, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single, false);
        return new SchemaShape(inputSchema.Append(output));
    }

    internal static VectorDataViewType OutputType { get; } =
        new(NumberDataViewType.Single, 1, DigitNormalizer.Frame, DigitNormalizer.Frame);
}
