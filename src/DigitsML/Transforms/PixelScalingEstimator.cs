// PixelScalingEstimator.cs — scales raw pixel vectors to floats, e.g. bytes 0..255 to [0, 1] (ScalePixels).
using DigitsML.Data;

namespace DigitsML.Transforms;

/// <summary>Maps every item x of a numeric vector to (x + offset) × scale as <c>Single</c>, keeping the vector's
/// dimensions: with the defaults, pixels of 0..255 (bytes or floats) become [0, 1], the range
/// <c>LoadFromIdx</c> gives and the CNN architectures expect (each normalises further inside its network). The
/// offset is added before scaling, as in ML.NET's pixel extraction. A fixed map, so fitting reads no data; unlike
/// ML.NET's <c>NormalizeMinMax</c>, which would scale each pixel position by its own maximum and distort images.
/// Reached as <c>ml.Transforms.ScalePixels</c>.</summary>
public sealed class PixelScalingEstimator : IEstimator<PixelScalingTransformer>
{
    private readonly string outputColumnName;
    private readonly string inputColumnName;
    private readonly float scale;
    private readonly float offset;

    internal PixelScalingEstimator(string outputColumnName, string? inputColumnName, float scale, float offset)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputColumnName);
        if (!float.IsFinite(scale) || scale == 0)
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "The scale must be finite and not zero.");
        if (!float.IsFinite(offset))
            throw new ArgumentOutOfRangeException(nameof(offset), offset, "The offset must be finite.");
        this.outputColumnName = outputColumnName;
        this.inputColumnName = inputColumnName ?? outputColumnName;
        this.scale = scale;
        this.offset = offset;
    }

    /// <summary>Checks the input column and returns the transformer.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The input column is missing or not a vector of numbers.</exception>
    public PixelScalingTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        PixelScalingTransformer.CheckInput(input.Schema, inputColumnName);
        return new PixelScalingTransformer(outputColumnName, inputColumnName, scale, offset);
    }

    /// <summary>Adds a vector of <c>Single</c> of the input's kind.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The input column is missing or not a vector of numbers.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var input = SchemaErrors.Find(inputSchema, "input", inputColumnName);
        if (input.Kind == SchemaShape.Column.VectorKind.Scalar || input.IsKey || input.ItemType is not NumberDataViewType)
            throw SchemaErrors.Mismatch("input", inputColumnName, "a vector of numbers", input.GetTypeString());
        var output = new SchemaShape.Column(outputColumnName, input.Kind, NumberDataViewType.Single, false);
        return new SchemaShape(inputSchema.Append(output));
    }
}
