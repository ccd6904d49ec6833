// NormalizeDigitMapping.cs — the custom mappings behind NormalizeDigit, one saved contract per ink setting.
using System.ComponentModel;
using DigitsML.Imaging;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace DigitsML.Transforms;

/// <summary>The rows NormalizeDigit's custom mapping reads and writes, under fixed column names (a saved custom mapping
/// is re-created from its contract alone, so its names cannot vary); <see cref="NormalizeDigitEstimator"/> copies the
/// user's columns in and out around it.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class NormalizeDigitMapping
{
    internal const string ImageColumn = "DigitsML.NormalizeDigit.Image";
    internal const string FeaturesColumn = "DigitsML.NormalizeDigit.Features";

    /// <summary>An image as <c>LoadImages</c> makes it.</summary>
    public sealed class Input
    {
        /// <summary>The decoded image; null when the path was empty.</summary>
        [ColumnName(ImageColumn)]
        [AnyImageSize]
        public MLImage? Image { get; set; }
    }

    /// <summary>The MNIST-style digit.</summary>
    public sealed class Output
    {
        /// <summary>28 × 28 grey levels in [0, 1], ink near 1.</summary>
        [ColumnName(FeaturesColumn)]
        [VectorType(1, DigitNormalizer.Frame, DigitNormalizer.Frame)]
        public float[] Features { get; set; } = new float[DigitNormalizer.Frame * DigitNormalizer.Frame];
    }

    internal static void Map(Input input, Output output, DigitInk ink)
    {
        var features = new float[DigitNormalizer.Frame * DigitNormalizer.Frame];
        if (input.Image is { } image)
            DigitNormalizer.Normalize(GrayImage.FromMLImage(image), ink, features);
        output.Features = features;
    }

    /// <summary>Declares an image column of any size. ML.NET's own <c>[ImageType]</c> without a size cannot be used on a
    /// member (it registers a type of height 0, which ML.NET refuses).</summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class AnyImageSizeAttribute : DataViewTypeAttribute
    {
        /// <inheritdoc />
        public override bool Equals(DataViewTypeAttribute other) => other is AnyImageSizeAttribute;

        /// <inheritdoc />
        public override int GetHashCode() => nameof(AnyImageSizeAttribute).GetHashCode(StringComparison.Ordinal);

        /// <inheritdoc />
        public override void Register() =>
            DataViewTypeManager.Register(new Microsoft.ML.Transforms.Image.ImageDataViewType(), typeof(MLImage), this);
    }

    /// <summary>Ink decided per image from its border (<see cref="DigitInk.Auto"/>).</summary>
    [CustomMappingFactoryAttribute(Contract)]
    public sealed class Auto : CustomMappingFactory<Input, Output>
    {
        /// <summary>Saved in model files; never change it.</summary>
        public const string Contract = "DigitsML.NormalizeDigit.Auto";

        /// <inheritdoc />
        public override Action<Input, Output> GetMapping() => Map;

        internal static void Map(Input input, Output output) => NormalizeDigitMapping.Map(input, output, DigitInk.Auto);
    }

    /// <summary>Dark ink on light paper (<see cref="DigitInk.DarkOnLight"/>).</summary>
    [CustomMappingFactoryAttribute(Contract)]
    public sealed class DarkOnLight : CustomMappingFactory<Input, Output>
    {
        /// <summary>Saved in model files; never change it.</summary>
        public const string Contract = "DigitsML.NormalizeDigit.DarkOnLight";

        /// <inheritdoc />
        public override Action<Input, Output> GetMapping() => Map;

        internal static void Map(Input input, Output output) => NormalizeDigitMapping.Map(input, output, DigitInk.DarkOnLight);
    }

    /// <summary>Light ink on a dark background (<see cref="DigitInk.LightOnDark"/>).</summary>
    [CustomMappingFactoryAttribute(Contract)]
    public sealed class LightOnDark : CustomMappingFactory<Input, Output>
    {
        /// <summary>Saved in model files; never change it.</summary>
        public const string Contract = "DigitsML.NormalizeDigit.LightOnDark";

        /// <inheritdoc />
        public override Action<Input, Output> GetMapping() => Map;

        internal static void Map(Input input, Output output) => NormalizeDigitMapping.Map(input, output, DigitInk.LightOnDark);
    }
}
