// NormalizeDigitEstimator.cs — ml.Transforms.NormalizeDigit: MNIST's preparation of a digit, on ImageAnalytics' image column.
using DigitsML.Scoring;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

namespace DigitsML.Transforms;

/// <summary>Turns each image of an image column (from <c>ml.Transforms.LoadImages</c>) into MNIST-style features,
/// <c>Vector&lt;Single, 1, 28, 28&gt;</c> in [0, 1], step by step as MNIST's makers prepared each digit (LeCun et al.):
/// <list type="number">
/// <item>grey levels (luma; transparency over white); an image over 1024 pixels on a side is shrunk by a whole factor;</item>
/// <item>ink made bright on dark: decided by <see cref="DigitInk"/> (by default from the image's border, judged against
/// the local mean when the light is uneven);</item>
/// <item>for dark ink on light paper, uneven light and shadows flattened: each pixel divided by the paper's light,
/// estimated by a morphological closing over a window wider than the strokes;</item>
/// <item>the paper's level (the median) and the noise (median absolute deviation) removed by a contrast stretch that
/// keeps grey stroke edges;</item>
/// <item>thin straight lines across the image (ruled or squared paper) cleared, except where strokes cross them;</item>
/// <item>the digit's pieces of ink kept (the largest, weighted to the centre, and the stroke-sized pieces near it),
/// specks and far marks cleared;</item>
/// <item>hairline strokes on a large digit widened so that they survive the shrinking;</item>
/// <item>cropped to the ink, ignoring the outermost 0.5 % of its mass on each side;</item>
/// <item>scaled to fit 20 × 20 keeping the aspect ratio, with anti-aliasing;</item>
/// <item>placed in 28 × 28 with its centre of mass at the centre.</item>
/// </list>
/// On a clean image (even paper, one piece of ink, no lines) the photo steps change nothing. docs/normalize.md gives
/// each step's reason and its measured effect.
/// An image without ink gives all zeros; a missing image (an empty path) gives all zeros too. A file ML.NET's
/// <c>LoadImages</c> cannot decode fails inside ML.NET's cursor with a message that names no file, and a truncated one is
/// read silently: check the files first with <see cref="DigitsDataCatalog.CheckImageFiles"/>, which names every bad
/// file in one <see cref="DataFormatException"/>. The fitted transformer is a
/// chain of ML.NET's own transformers around one custom mapping, so it saves and loads with the pipeline, and loading
/// needs no <c>RegisterAssembly</c>.</summary>
public sealed class NormalizeDigitEstimator : IEstimator<ITransformer>
{
    private readonly string outputColumnName, inputColumnName;
    private readonly DigitInk ink;

    internal NormalizeDigitEstimator(string outputColumnName, string inputColumnName, DigitInk ink)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputColumnName);
        ArgumentException.ThrowIfNullOrWhiteSpace(inputColumnName);
        if (!Enum.IsDefined(ink))
            throw new ArgumentOutOfRangeException(nameof(ink), ink, "Not a DigitInk value.");
        this.outputColumnName = outputColumnName;
        this.inputColumnName = inputColumnName;
        this.ink = ink;
    }

    /// <summary>Checks the input column and returns the fitted transformer (nothing is learned).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The input column is missing or not an image; the message names it.</exception>
    public ITransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Schema.GetColumnOrNull(inputColumnName) is not { } column)
            throw new ArgumentOutOfRangeException(nameof(input), $"Schema mismatch: the input column '{inputColumnName}' was not found.");
        if (column.Type is not ImageDataViewType)
            throw new ArgumentOutOfRangeException(nameof(input), $"Schema mismatch for input column '{inputColumnName}': expected Image, got {column.Type}. {LoadImagesHint}");
        var ml = new MLContext();
        // Fitted one by one: ML.NET's estimator chain compares image types by reference and would refuse the mapping's input.
        var copyIn = ml.Transforms.CopyColumns(NormalizeDigitMapping.ImageColumn, inputColumnName).Fit(input);
        IDataView data = copyIn.Transform(input);
        ITransformer map = ink switch
        {
            DigitInk.DarkOnLight => ml.Transforms.CustomMapping<NormalizeDigitMapping.Input, NormalizeDigitMapping.Output>(
                NormalizeDigitMapping.DarkOnLight.Map, NormalizeDigitMapping.DarkOnLight.Contract).Fit(data),
            DigitInk.LightOnDark => ml.Transforms.CustomMapping<NormalizeDigitMapping.Input, NormalizeDigitMapping.Output>(
                NormalizeDigitMapping.LightOnDark.Map, NormalizeDigitMapping.LightOnDark.Contract).Fit(data),
            _ => ml.Transforms.CustomMapping<NormalizeDigitMapping.Input, NormalizeDigitMapping.Output>(
                NormalizeDigitMapping.Auto.Map, NormalizeDigitMapping.Auto.Contract).Fit(data),
        };
        data = map.Transform(data);
        var copyOut = ml.Transforms.CopyColumns(outputColumnName, NormalizeDigitMapping.FeaturesColumn).Fit(data);
        data = copyOut.Transform(data);
        var drop = ml.Transforms.DropColumns(NormalizeDigitMapping.ImageColumn, NormalizeDigitMapping.FeaturesColumn).Fit(data);
        return new TransformerChain<ITransformer>(copyIn, map, copyOut, drop);
    }

    /// <summary>The input schema plus the output column, <c>Vector&lt;Single, 1, 28, 28&gt;</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The input column is missing or not an image; the message names it.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var input = SchemaShapes.Find(inputSchema, "input", inputColumnName);
        if (input.ItemType is not ImageDataViewType || input.Kind != SchemaShape.Column.VectorKind.Scalar)
            throw SchemaShapes.Mismatch("input", inputColumnName, "Image", input, LoadImagesHint);
        return SchemaShapes.With(inputSchema, SchemaShapes.SingleVector(outputColumnName, OutputType));
    }

    private const string LoadImagesHint = "Load the files of a path column with ml.Transforms.LoadImages first.";

    /// <summary>The type of the features NormalizeDigit makes.</summary>
    public static VectorDataViewType OutputType { get; } = new(NumberDataViewType.Single, 1, 28, 28);
}
