// ImageLoadingEstimator.cs — reads image files named in a text column into an image column (LoadImages).
using DigitsML.Data;

namespace DigitsML.Transforms;

/// <summary>Adds an <see cref="ImageDataViewType"/> column holding the image each row's path names, decoded as grey levels
/// (PNG, PGM or BMP; see <see cref="Imaging.GrayImage.Load"/>). Files are read lazily, when a row's image is asked for,
/// so a bad file fails then, with a <see cref="DataFormatException"/> naming it. A fixed map: fitting reads no data.
/// Reached as <c>ml.Transforms.LoadImages</c>.</summary>
public sealed class ImageLoadingEstimator : IEstimator<ImageLoadingTransformer>
{
    private readonly string outputColumnName;
    private readonly string? imageFolder;
    private readonly string inputColumnName;

    internal ImageLoadingEstimator(string outputColumnName, string? imageFolder, string? inputColumnName)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputColumnName);
        this.outputColumnName = outputColumnName;
        this.imageFolder = string.IsNullOrEmpty(imageFolder) ? null : imageFolder;
        this.inputColumnName = inputColumnName ?? outputColumnName;
    }

    /// <summary>Checks the input column and returns the transformer.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The input column is missing or not text.</exception>
    public ImageLoadingTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        ImageLoadingTransformer.CheckInput(input.Schema, inputColumnName);
        return new ImageLoadingTransformer(outputColumnName, imageFolder, inputColumnName);
    }

    /// <summary>Adds a scalar image column.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The input column is missing or not scalar text.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var input = SchemaErrors.Find(inputSchema, "input", inputColumnName);
        if (input.Kind != SchemaShape.Column.VectorKind.Scalar || input.IsKey || input.ItemType is not TextDataViewType)
            throw SchemaErrors.Mismatch("input", inputColumnName, "text (an image path)", input.GetTypeString());
        var output = new SchemaShape.Column(outputColumnName, SchemaShape.Column.VectorKind.Scalar, ImageDataViewType.Instance, false);
        return new SchemaShape(inputSchema.Append(output));
    }
}
