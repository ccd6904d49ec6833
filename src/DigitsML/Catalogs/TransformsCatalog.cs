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
