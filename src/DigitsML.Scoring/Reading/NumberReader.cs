// NumberReader.cs — reads a handwritten number (a row of digits, touching or not) from an image with a digit model.
using DigitsML.Imaging;
using DigitsML.Reading;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DigitsML;

/// <summary>Reads the number in an image of one row of handwritten digits with a DigitsML model (any ML.NET model that
/// takes <see cref="DigitInput.Features"/> and gives a <c>Score</c> vector of class probabilities), step by step:
/// <list type="number">
/// <item>the image is decoded as <c>LoadImages</c> decodes it and reduced to grey levels;</item>
/// <item>its ink is found: ink made bright, paper and uneven light removed locally, ruled lines taken out where no
/// stroke crosses them;</item>
/// <item>the ink's connected pieces are grouped: specks dropped, pieces one above the other joined (a 5's hat, a broken
/// stroke);</item>
/// <item>a group too wide for one digit is tried as touching digits, cut where the ink is thinnest, and the cuts the
/// model is surest of are kept;</item>
/// <item>each digit is cut out with the paper around it and normalised exactly as <c>NormalizeDigit</c> normalises an
/// image, then scored by a <see cref="DigitClassifier"/> over the model (the model's own answer, thread-safe);</item>
/// <item>digits less sure than <see cref="ReadingOptions.UncertainBelow"/> are marked uncertain.</item>
/// </list>
/// Safe to use from any number of threads. Bad images never throw: they give an empty <see cref="NumberReading"/>
/// whose <see cref="NumberReading.Reason"/> says what was wrong.</summary>
public sealed class NumberReader
{
    private readonly DigitClassifier? classifier;
    private readonly LineReader? lineReader;

    /// <summary>A reader scoring with <paramref name="model"/>.</summary>
    /// <param name="model">A loaded digit model (<c>ml.Model.Load</c>); it stays owned by the caller and must outlive
    /// the reader's use.</param>
    /// <param name="options">How digits are found and judged; default <see cref="ReadingOptions"/>' defaults.</param>
    /// <exception cref="ArgumentException">The model does not take <see cref="DigitInput"/>'s 28 × 28 features, gives no
    /// <c>Score</c> vector of Single, or its classes cannot be established (<see cref="DigitClassifier"/>'s rule); the
    /// message says which.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the message names it.</exception>
    public NumberReader(ITransformer model, ReadingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        Options = options ?? new ReadingOptions();
        Options.Validate();
        if (LineReader.IsLineReader(model, out _))
        {
            lineReader = new LineReader(model);
            return;
        }
        try
        {
            classifier = new DigitClassifier(model, Options.MaxPixels);
        }
        catch (DataFormatException e)
        {
            throw new ArgumentException($"The model cannot be read with: {e.Message}", nameof(model), e);
        }
    }

    /// <summary>The settings in use.</summary>
    public ReadingOptions Options { get; }

    /// <summary>The model's classes, as <see cref="DigitClassifier.Classes"/> gives them.</summary>
    public IReadOnlyList<string> Classes => classifier?.Classes ?? Digits;

    /// <summary>True when the model is a line reader, which reads the whole number at once (no cutting).</summary>
    public bool ReadsWholeLines => lineReader is not null;

    private static readonly string[] Digits = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

    /// <summary>Reads the number in an encoded image (PNG, JPEG, BMP, GIF, WebP).</summary>
    /// <returns>The reading; empty with a <see cref="NumberReading.Reason"/> when the bytes are not a whole image of
    /// those formats, are too large, or hold no ink.</returns>
    public NumberReading Read(ReadOnlySpan<byte> encoded)
    {
        if (encoded.IsEmpty)
            return NumberReading.UnreadableImage("the image is empty (0 bytes)");
        string limit = Options.MaxPixels == DigitFeatures.MaxPixels ? "NormalizeDigit reads" : "allowed";
        return EncodedImage.Decode(encoded, Options.MaxPixels, limit, keepPixels: true, out var image) is { } problem
            ? NumberReading.UnreadableImage(problem)
            : Read(image!);
    }

    /// <summary>Reads the number in the image file at <paramref name="path"/>.</summary>
    /// <returns>The reading; empty with a <see cref="NumberReading.Reason"/> naming the file when it cannot be read or
    /// decoded, or holds no ink.</returns>
    public NumberReading ReadFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (EncodedImage.ReadFile(path, DigitFeatures.MaxFileBytes, out byte[]? bytes) is { } problem)
            return NumberReading.UnreadableImage($"{path}: {problem}");
        var reading = Read(bytes);
        return reading.Reason is null ? reading : reading with { Reason = $"{path}: {reading.Reason}" };
    }

    /// <summary>Reads the number in a decoded image, as <c>ml.Transforms.LoadImages</c> puts it in an image column.</summary>
    /// <returns>The reading; empty with a <see cref="NumberReading.Reason"/> when the image holds no ink.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The image is larger than <see cref="DigitFeatures.MaxPixels"/> or not 32-bit colour.</exception>
    public NumberReading Read(MLImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return Read(GrayImage.FromMLImage(image));
    }

    internal NumberReading Read(GrayImage image)
    {
        if ((long)image.Width * image.Height > Options.MaxPixels)
            return NumberReading.UnreadableImage($"{image.Width} × {image.Height} pixels is more than the {Options.MaxPixels:N0} allowed");
        if (lineReader is not null)
            return NumberLine.Find(image, Options.Ink, 4 * Options.MaxDigits, out string? missing) is { } line
                ? lineReader.Read(line, Options)
                : NumberReading.Empty(missing!);
        if (InkMap.Find(image, Options.Ink, out string? problem) is not { } map)
            return NumberReading.Empty(problem!);
        // Pieces beyond four per digit (broken strokes) mean noise or text rather than a number.
        if (InkBlobs.Find(map, Options.SpeckShare, 4 * Options.MaxDigits) is not { } blobs)
            return NumberReading.Empty($"more than {4 * Options.MaxDigits} separate pieces of ink: noise or text, not a number of at most {Options.MaxDigits} digits");
        if (blobs.Blobs.Count == 0)
            return NumberReading.Empty("no ink found that is tall enough to be a digit (only specks or lines)");
        if (blobs.Blobs.Count > Options.MaxDigits)
            return NumberReading.Empty($"{blobs.Blobs.Count} separate pieces of ink: more than the {Options.MaxDigits} digits a number may have");
        var cutter = new DigitCutter(image, map, blobs);
        DigitGuess? ReadPart(Blob blob, int c0, int c1)
        {
            if (cutter.Cut(blob, c0, c1) is not var (box, features))
                return null;
            var answer = classifier!.Predict(features);
            return new DigitGuess(c0, c1, box, answer.Class, answer.Probability);
        }
        var digits = new List<ReadDigit>();
        foreach (var blob in blobs.Blobs)
            foreach (var guess in BlobSplitter.Split(blob, blobs.DigitHeight, Options.SplitWiderThan, blobs, image.Width,
                         (c0, c1) => ReadPart(blob, c0, c1)))
                digits.Add(new ReadDigit(guess.Class, guess.Confidence, guess.Box, guess.Confidence < Options.UncertainBelow));
        if (digits.Count > Options.MaxDigits)
            return NumberReading.Empty($"{digits.Count} digits found: more than the {Options.MaxDigits} a number may have");
        return new NumberReading { Digits = digits, UncertainMark = Options.UncertainMark };
    }
}
