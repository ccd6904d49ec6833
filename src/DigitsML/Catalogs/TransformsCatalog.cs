// TransformsCatalog.cs — ml.Transforms: the data transforms, grouped as in ML.NET.
using DigitsML.Transforms;

namespace DigitsML;

/// <summary>Data transforms, reached as <c>ml.Transforms</c>.</summary>
public sealed class TransformsCatalog
{
    internal TransformsCatalog(MLContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        Conversion = new ConversionTransforms();
    }

    /// <summary>Type conversions: values to keys and back.</summary>
    public ConversionTransforms Conversion { get; }

    /// <summary>Scales a numeric vector to <c>Single</c> values (x + <paramref name="offset"/>) × <paramref name="scale"/>,
    /// keeping its dimensions: by default raw pixels 0..255 (bytes or floats) become [0, 1]. See <see cref="PixelScalingEstimator"/>.</summary>
    /// <param name="outputColumnName">The column to add.</param>
    /// <param name="inputColumnName">The vector to read; default <paramref name="outputColumnName"/>.</param>
    /// <param name="scale">Multiplier; default 1/255.</param>
    /// <param name="offset">Added before scaling; default 0.</param>
    /// <exception cref="ArgumentException"><paramref name="outputColumnName"/> is null or empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="scale"/> is zero or not finite, or <paramref name="offset"/> is not finite.</exception>
    public PixelScalingEstimator ScalePixels(string outputColumnName, string? inputColumnName = null, float scale = 1f / 255, float offset = 0) =>
        new(outputColumnName, inputColumnName, scale, offset);

    /// <summary>Loads the image file each row's path names into an image column (<see cref="Data.ImageDataViewType"/>,
    /// grey levels in [0, 1]), as ML.NET's <c>LoadImages</c>. PNG, PGM and BMP are read; see <see cref="ImageLoadingEstimator"/>.</summary>
    /// <param name="outputColumnName">The image column to add.</param>
    /// <param name="imageFolder">The folder relative paths are resolved against; null or empty (e.g. for the full paths
    /// <c>LoadFromImageFolder</c> gives) leaves them as they are.</param>
    /// <param name="inputColumnName">The text column of paths; default <paramref name="outputColumnName"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="outputColumnName"/> is null or empty.</exception>
    public ImageLoadingEstimator LoadImages(string outputColumnName, string? imageFolder, string? inputColumnName = null) =>
        new(outputColumnName, imageFolder, inputColumnName);

    /// <summary>Turns a digit image into MNIST-style features (<c>Vector&lt;Single, 1, 28, 28&gt;</c>, ink bright on dark):
    /// inverted when the paper is light, cropped to the ink, scaled to fit 20 × 20 and centred by centre of mass in 28 × 28.
    /// See <see cref="DigitNormalizingEstimator"/>.</summary>
    /// <param name="outputColumnName">The feature column to add; default "Features".</param>
    /// <param name="inputColumnName">The image column to read; default "Image".</param>
    /// <param name="ink">How ink is told from paper; default <see cref="DigitInk.Auto"/>, decided per image from its border.</param>
    /// <exception cref="ArgumentException">A column name is null or empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="ink"/> is not a defined value.</exception>
    public DigitNormalizingEstimator NormalizeDigit(string outputColumnName = DefaultColumnNames.Features, string inputColumnName = "Image",
        DigitInk ink = DigitInk.Auto) =>
        new(outputColumnName, inputColumnName, ink);

    /// <summary>Conversions between values and keys, reached as <c>ml.Transforms.Conversion</c>.</summary>
    public sealed class ConversionTransforms
    {
        internal ConversionTransforms() { }

        /// <summary>Maps the values of a scalar column (numbers, text or booleans) to keys. Fitting collects the distinct
        /// values (NaN is missing); key 1 is the first value in <paramref name="keyOrdinality"/> order, and values not
        /// seen in fitting map to 0. The key column carries the values as KeyValues, which become class names downstream.</summary>
        /// <param name="outputColumnName">The key column to add.</param>
        /// <param name="inputColumnName">The column to read; default <paramref name="outputColumnName"/>.</param>
        /// <param name="maximumNumberOfKeys">At most this many values are kept (the first found); default 1,000,000.</param>
        /// <param name="keyOrdinality">Order of first occurrence (default, as ML.NET) or sorted by value.</param>
        /// <exception cref="ArgumentException"><paramref name="outputColumnName"/> is null or empty.</exception>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="maximumNumberOfKeys"/> is less than 1.</exception>
        public ValueToKeyMappingEstimator MapValueToKey(string outputColumnName, string? inputColumnName = null,
            int maximumNumberOfKeys = 1_000_000, KeyOrdinality keyOrdinality = KeyOrdinality.ByOccurrence) =>
            new(outputColumnName, inputColumnName, maximumNumberOfKeys, keyOrdinality);

        /// <summary>Maps a key column back to the values its keys stand for (from its KeyValues annotation), e.g.
        /// <c>PredictedLabel</c> back to the digit. Missing keys give NaN for floating-point values.</summary>
        /// <param name="outputColumnName">The value column to add.</param>
        /// <param name="inputColumnName">The key column to read; default <paramref name="outputColumnName"/>.</param>
        /// <exception cref="ArgumentException"><paramref name="outputColumnName"/> is null or empty.</exception>
        public KeyToValueMappingEstimator MapKeyToValue(string outputColumnName, string? inputColumnName = null) =>
            new(outputColumnName, inputColumnName);
    }
}
