// ReadNumberMapping.cs — the custom mappings behind a saveable ReadNumber over a line reader: the strip of each image
// (one saved contract per input kind × ink setting) and the decoding of the reader's frames (one contract).
using System.ComponentModel;
using DigitsML.Imaging;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace DigitsML.Transforms;

/// <summary>The rows of the custom mappings that <see cref="ReadNumberEstimator"/> puts around a line reader model, so
/// that the fitted step saves with <c>ml.Model.Save</c> and loads without <c>RegisterAssembly</c>. A saved custom mapping
/// is re-created from its contract name alone, so the columns have fixed names (the user's columns are copied in and out
/// around them) and the settings are those of the contract: the ink (one contract each) and otherwise the default
/// <see cref="ReadingOptions"/>. The steps, in order:
/// <list type="number">
/// <item>the image (or the file at the path) to its strip, <see cref="LineReader.InputColumn"/> (a vector of Single of
/// any length, what the reader's ONNX graph takes), and <see cref="FoundColumn"/>, false when the image holds no number
/// (missing, unreadable, blank: the strip is then <see cref="NumberLine.Height"/> × 16 zeros, so that the graph still
/// runs);</item>
/// <item>the reader model: the strip to <see cref="LineReader.OutputColumn"/>, its frames;</item>
/// <item>the frames decoded exactly as <see cref="NumberReader"/> decodes them, to the marked number and the confidences
/// ("" and none where nothing was found).</item>
/// </list></summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ReadNumberMapping
{
    internal const string ImageColumn = "DigitsML.ReadNumber.Image";
    internal const string PathColumn = "DigitsML.ReadNumber.Path";
    internal const string FoundColumn = "DigitsML.ReadNumber.Found";
    internal const string NumberColumn = "DigitsML.ReadNumber.Number";
    internal const string ConfidencesColumn = "DigitsML.ReadNumber.Confidences";

    /// <summary>The columns of the strip of a missing or blank image.</summary>
    internal const int EmptyWidth = 16;

    /// <summary>Every internal column, dropped at the end of the step.</summary>
    internal static readonly string[] InternalColumns =
        [ImageColumn, PathColumn, FoundColumn, LineReader.InputColumn, LineReader.OutputColumn, NumberColumn, ConfidencesColumn];

    /// <summary>An image as <c>LoadImages</c> makes it.</summary>
    public sealed class ImageInput
    {
        /// <summary>The decoded image; null when LoadImages' path was empty.</summary>
        [ColumnName(ImageColumn)]
        [NormalizeDigitMapping.AnyImageSize]
        public MLImage? Image { get; set; }
    }

    /// <summary>The path of an image file.</summary>
    public sealed class PathInput
    {
        /// <summary>The path; empty for none.</summary>
        [ColumnName(PathColumn)]
        public string Path { get; set; } = "";
    }

    /// <summary>The strip a line reader reads.</summary>
    public sealed class LineOutput
    {
        /// <summary><see cref="NumberLine.Height"/> rows of ink strength, row by row, any width.</summary>
        [ColumnName(LineReader.InputColumn)]
        [VectorType]
        public float[] Line { get; set; } = [];

        /// <summary>False when the image holds no number; the strip is then zeros and is not read.</summary>
        [ColumnName(FoundColumn)]
        public bool Found { get; set; }
    }

    /// <summary>The reader's frames and whether there was a number to read.</summary>
    public sealed class FramesInput
    {
        /// <summary>Frames × <see cref="FrameDecoder.Classes"/> probabilities.</summary>
        [ColumnName(LineReader.OutputColumn)]
        [VectorType]
        public float[] Frames { get; set; } = [];

        /// <summary>False when the image held no number.</summary>
        [ColumnName(FoundColumn)]
        public bool Found { get; set; }
    }

    /// <summary>The number read.</summary>
    public sealed class NumberOutput
    {
        /// <summary>The <see cref="NumberReading.MarkedText"/>; "" when nothing was read.</summary>
        [ColumnName(NumberColumn)]
        public string Number { get; set; } = "";

        /// <summary>Each digit's confidence, left to right.</summary>
        [ColumnName(ConfidencesColumn)]
        [VectorType]
        public float[] Confidences { get; set; } = [];
    }

    /// <summary>The strip of a decoded image, found as <see cref="NumberReader.Read(MLImage)"/> finds it.</summary>
    internal static void MapImage(ImageInput input, LineOutput output, ReadingOptions options) =>
        Write(input.Image is { } image ? Line(GrayImage.FromMLImage(image), options) : null, output);

    /// <summary>The strip of the image file at the path, found as <see cref="NumberReader.ReadFile"/> finds it.</summary>
    internal static void MapPath(PathInput input, LineOutput output, ReadingOptions options)
    {
        NumberLine? line = null;
        if (!string.IsNullOrEmpty(input.Path)
            && EncodedImage.ReadFile(input.Path, DigitFeatures.MaxFileBytes, out byte[]? bytes) is null && bytes!.Length > 0
            && EncodedImage.Decode(bytes, options.MaxPixels, "allowed", keepPixels: true, out var image) is null)
            line = Line(image!, options);
        Write(line, output);
    }

    private static NumberLine? Line(GrayImage image, ReadingOptions options) =>
        (long)image.Width * image.Height > options.MaxPixels ? null : NumberLine.Find(image, options.Ink, 4 * options.MaxDigits, out _);

    private static void Write(NumberLine? line, LineOutput output)
    {
        output.Line = line?.Pixels ?? new float[NumberLine.Height * EmptyWidth];
        output.Found = line is not null;
    }

    /// <summary>The frames decoded by <see cref="LineReader"/>'s own decoding, with <paramref name="options"/>.</summary>
    /// <exception cref="DataFormatException">The reader gave no whole number of frames.</exception>
    internal static void MapFrames(FramesInput input, NumberOutput output, ReadingOptions options)
    {
        if (!input.Found)
        {
            output.Number = "";
            output.Confidences = [];
            return;
        }
        LineReader.CheckFrames(input.Frames, input.Frames.Length / FrameDecoder.Classes * FrameDecoder.FrameWidth);
        var reading = LineReader.Read(input.Frames, null, options);
        output.Number = reading.MarkedText;
        output.Confidences = reading.Confidences;
    }

    private static readonly ReadingOptions Defaults = new();

    private static readonly ReadingOptions DarkOnLight = new() { Ink = DigitInk.DarkOnLight };

    private static readonly ReadingOptions LightOnDark = new() { Ink = DigitInk.LightOnDark };

    /// <summary>Image column, ink decided per image (<see cref="DigitInk.Auto"/>).</summary>
    [CustomMappingFactoryAttribute(Contract)]
    public sealed class ImageAuto : CustomMappingFactory<ImageInput, LineOutput>
    {
        /// <summary>Saved in model files; never change it.</summary>
        public const string Contract = "DigitsML.ReadNumber.Line.Image.Auto";

        /// <inheritdoc />
        public override Action<ImageInput, LineOutput> GetMapping() => Map;

        internal static void Map(ImageInput input, LineOutput output) => MapImage(input, output, Defaults);
    }

    /// <summary>Image column, dark ink on light paper.</summary>
    [CustomMappingFactoryAttribute(Contract)]
    public sealed class ImageDarkOnLight : CustomMappingFactory<ImageInput, LineOutput>
    {
        /// <summary>Saved in model files; never change it.</summary>
        public const string Contract = "DigitsML.ReadNumber.Line.Image.DarkOnLight";

        /// <inheritdoc />
        public override Action<ImageInput, LineOutput> GetMapping() => Map;

        internal static void Map(ImageInput input, LineOutput output) => MapImage(input, output, DarkOnLight);
    }

    /// <summary>Image column, light ink on a dark background.</summary>
    [CustomMappingFactoryAttribute(Contract)]
    public sealed class ImageLightOnDark : CustomMappingFactory<ImageInput, LineOutput>
    {
        /// <summary>Saved in model files; never change it.</summary>
        public const string Contract = "DigitsML.ReadNumber.Line.Image.LightOnDark";

        /// <inheritdoc />
        public override Action<ImageInput, LineOutput> GetMapping() => Map;

        internal static void Map(ImageInput input, LineOutput output) => MapImage(input, output, LightOnDark);
    }

    /// <summary>Path column, ink decided per image (<see cref="DigitInk.Auto"/>).</summary>
    [CustomMappingFactoryAttribute(Contract)]
    public sealed class PathAuto : CustomMappingFactory<PathInput, LineOutput>
    {
        /// <summary>Saved in model files; never change it.</summary>
        public const string Contract = "DigitsML.ReadNumber.Line.Path.Auto";

        /// <inheritdoc />
        public override Action<PathInput, LineOutput> GetMapping() => Map;

        internal static void Map(PathInput input, LineOutput output) => MapPath(input, output, Defaults);
    }

    /// <summary>Path column, dark ink on light paper.</summary>
    [CustomMappingFactoryAttribute(Contract)]
    public sealed class PathDarkOnLight : CustomMappingFactory<PathInput, LineOutput>
    {
        /// <summary>Saved in model files; never change it.</summary>
        public const string Contract = "DigitsML.ReadNumber.Line.Path.DarkOnLight";

        /// <inheritdoc />
        public override Action<PathInput, LineOutput> GetMapping() => Map;

        internal static void Map(PathInput input, LineOutput output) => MapPath(input, output, DarkOnLight);
    }

    /// <summary>Path column, light ink on a dark background.</summary>
    [CustomMappingFactoryAttribute(Contract)]
    public sealed class PathLightOnDark : CustomMappingFactory<PathInput, LineOutput>
    {
        /// <summary>Saved in model files; never change it.</summary>
        public const string Contract = "DigitsML.ReadNumber.Line.Path.LightOnDark";

        /// <inheritdoc />
        public override Action<PathInput, LineOutput> GetMapping() => Map;

        internal static void Map(PathInput input, LineOutput output) => MapPath(input, output, LightOnDark);
    }

    /// <summary>The frames decoded with the default threshold, mark and digit limit.</summary>
    [CustomMappingFactoryAttribute(Contract)]
    public sealed class Decode : CustomMappingFactory<FramesInput, NumberOutput>
    {
        /// <summary>Saved in model files; never change it.</summary>
        public const string Contract = "DigitsML.ReadNumber.Decode";

        /// <inheritdoc />
        public override Action<FramesInput, NumberOutput> GetMapping() => Map;

        internal static void Map(FramesInput input, NumberOutput output) => MapFrames(input, output, Defaults);
    }

    /// <summary>The mapping of an image column to strips for <paramref name="ink"/> and its contract.</summary>
    internal static (Action<ImageInput, LineOutput> Map, string Contract) ForImages(DigitInk ink) => ink switch
    {
        DigitInk.DarkOnLight => (ImageDarkOnLight.Map, ImageDarkOnLight.Contract),
        DigitInk.LightOnDark => (ImageLightOnDark.Map, ImageLightOnDark.Contract),
        _ => (ImageAuto.Map, ImageAuto.Contract),
    };

    /// <summary>The mapping of a path column to strips for <paramref name="ink"/> and its contract.</summary>
    internal static (Action<PathInput, LineOutput> Map, string Contract) ForPaths(DigitInk ink) => ink switch
    {
        DigitInk.DarkOnLight => (PathDarkOnLight.Map, PathDarkOnLight.Contract),
        DigitInk.LightOnDark => (PathLightOnDark.Map, PathLightOnDark.Contract),
        _ => (PathAuto.Map, PathAuto.Contract),
    };
}
