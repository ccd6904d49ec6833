// LineReader.cs — reads a whole number at once with a line reader model (no cutting into digits): the strip of the
// number (NumberLine) through the model's ONNX graph in ML.NET, its frames decoded by CTC's greedy path.
using System.ComponentModel;
using DigitsML.Imaging;
using DigitsML.Models;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DigitsML;

/// <summary>Scores <see cref="NumberLine"/>s with a line reader model (an ML.NET model zip holding the reader's ONNX
/// graph, made by <c>NumberReaderTrainer</c> / <c>digits train-reader</c>): column <see cref="InputColumn"/>, a vector of
/// Single of any length (the strip, <see cref="NumberLine.Height"/> rows), in; column <see cref="OutputColumn"/>, the
/// per-frame probabilities of blank and the ten digits, out. <see cref="NumberReader"/> uses it when it is given such a
/// model. Safe to use from any number of threads (a pool of prediction engines).</summary>
public sealed class LineReader
{
    /// <summary>The input column and graph input: the strip, row by row.</summary>
    public const string InputColumn = "Line";

    /// <summary>The output column and graph output: frames × <see cref="FrameDecoder.Classes"/> probabilities.</summary>
    public const string OutputColumn = "Frames";

    private readonly PredictionEnginePool<LineRow, FramesRow> engines;

    /// <summary>A reader over <paramref name="model"/>, which stays owned by the caller.</summary>
    /// <exception cref="ArgumentException">The model does not read a <see cref="InputColumn"/> strip into
    /// <see cref="OutputColumn"/> frames; the message says what it has instead.</exception>
    public LineReader(ITransformer model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!IsLineReader(model, out string? problem))
            throw new ArgumentException($"Not a line reader model: {problem}", nameof(model));
        Model = model;
        engines = new PredictionEnginePool<LineRow, FramesRow>(model);
    }

    /// <summary>The model scored.</summary>
    public ITransformer Model { get; }

    /// <summary>Whether <paramref name="model"/> maps a strip column <see cref="InputColumn"/> (a vector of Single of
    /// unknown size) to frames <see cref="OutputColumn"/>; when not, why.</summary>
    public static bool IsLineReader(ITransformer model, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(model);
        problem = null;
        DataViewSchema output;
        try
        {
            output = model.GetOutputSchema(InputSchema);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException)
        {
            problem = $"it does not take a column '{InputColumn}' of Single values of any length ({e.Message.Split('\n')[0]})";
            return false;
        }
        if (output.GetColumnOrNull(OutputColumn) is not { Type: VectorDataViewType { ItemType: NumberDataViewType item } } || item.RawType != typeof(float))
        {
            problem = $"it gives no vector of Single named '{OutputColumn}'";
            return false;
        }
        return true;
    }

    /// <summary>The schema a line reader is saved with: one column <see cref="InputColumn"/>, a vector of Single of any length.</summary>
    public static DataViewSchema InputSchema
    {
        get
        {
            var builder = new DataViewSchema.Builder();
            builder.AddColumn(InputColumn, new VectorDataViewType(NumberDataViewType.Single));
            return builder.ToSchema();
        }
    }

    /// <summary>The frames the model gives for <paramref name="line"/>: frames × <see cref="FrameDecoder.Classes"/> probabilities.</summary>
    /// <exception cref="DataFormatException">The model's answer is not a whole number of frames.</exception>
    public float[] Frames(NumberLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        float[] frames = engines.Predict(new LineRow { Line = line.Pixels }).Frames;
        CheckFrames(frames, line.Width);
        return frames;
    }

    /// <summary>Throws unless <paramref name="frames"/> is a whole, non-zero number of frames.</summary>
    internal static void CheckFrames(ReadOnlySpan<float> frames, int width)
    {
        if (frames.Length % FrameDecoder.Classes != 0 || frames.Length == 0)
            throw new DataFormatException(null, $"the line reader gave {frames.Length} values for a strip of {width} columns: not frames of {FrameDecoder.Classes} classes");
    }

    /// <summary>Reads <paramref name="line"/>: its digits with confidences and boxes in the image the line was cut from.</summary>
    internal NumberReading Read(NumberLine line, ReadingOptions options) => Read(Frames(line), line, options);

    /// <summary>Reads the frames the model gave for <paramref name="line"/> (already checked by <see cref="CheckFrames"/>):
    /// the one decoding of both <see cref="NumberReader"/> and the saveable <c>ReadNumber</c> step, which passes no line
    /// (its digits then have empty boxes: it outputs no boxes).</summary>
    internal static NumberReading Read(float[] frames, NumberLine? line, ReadingOptions options)
    {
        var decoded = FrameDecoder.Greedy(frames);
        if (decoded.Count == 0)
            return NumberReading.Empty("no digit read in the number's band");
        if (decoded.Count > options.MaxDigits)
            return NumberReading.Empty($"{decoded.Count} digits read: more than the {options.MaxDigits} a number may have");
        float missed = FrameDecoder.MissedDigit(frames);
        var digits = new List<ReadDigit>(decoded.Count);
        foreach (var d in decoded)
        {
            if (line is null)
            {
                digits.Add(new ReadDigit(d.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), d.Confidence, default,
                    d.Confidence < options.UncertainBelow));
                continue;
            }
            float x0 = line.Left + d.FirstFrame * FrameDecoder.FrameWidth / line.Scale;
            float x1 = line.Left + (d.LastFrame + 1) * FrameDecoder.FrameWidth / line.Scale;
            var box = new DigitBox((int)Math.Floor(x0), (int)Math.Floor(line.Top), Math.Max(1, (int)Math.Round(x1 - x0)),
                Math.Max(1, (int)Math.Round(NumberLine.Height / line.Scale)));
            digits.Add(new ReadDigit(d.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), d.Confidence, box,
                d.Confidence < options.UncertainBelow));
        }
        return new NumberReading { Digits = digits, UncertainMark = options.UncertainMark, MissedDigit = missed,
            MayMissADigit = options.UncertainBelow > 0 && missed > 1 - options.UncertainBelow };
    }

    /// <summary>Saves a line reader's ONNX graph (input <see cref="InputColumn"/> (batch, 1, Height, width), output
    /// <see cref="OutputColumn"/> (batch, frames, classes)) as an ML.NET model zip, atomically; for the trainer.</summary>
    /// <exception cref="DataFormatException">The bytes are not such a graph.</exception>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static void SaveOnnx(byte[] onnx, string path)
    {
        ArgumentNullException.ThrowIfNull(onnx);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var folder = PrivateTempFolder.Create();
        var ml = new MLContext { TempFilePath = folder.Path };
        string file = Path.Combine(folder.Path, "reader.onnx");
        File.WriteAllBytes(file, onnx);
        var empty = ml.Data.LoadFromEnumerable(Array.Empty<LineRow>());
        using var model = (IDisposable)ml.Transforms.ApplyOnnxModel([OutputColumn], [InputColumn], file).Fit(empty);
        ml.Model.SaveAtomically((ITransformer)model, empty.Schema, path);
    }

    private sealed class LineRow
    {
        [VectorType]
        public float[] Line { get; set; } = [];
    }

    private sealed class FramesRow
    {
        [VectorType]
        public float[] Frames { get; set; } = [];
    }
}
