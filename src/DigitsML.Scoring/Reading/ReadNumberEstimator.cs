// ReadNumberEstimator.cs — ml.Transforms.ReadNumber: one image per row in, the number read and its confidences out.
using DigitsML.Scoring;
using DigitsML.Transforms;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

namespace DigitsML;

/// <summary>Reads the handwritten number in each row's image with a digit model, as <see cref="NumberReader"/> does:
/// the input is an image column (from <c>ml.Transforms.LoadImages</c>) or a text column of image file paths; the
/// output is the number as text, uncertain digits shown as <see cref="ReadingOptions.UncertainMark"/> (the
/// <see cref="NumberReading.MarkedText"/>), and a variable-length vector of Single with each digit's confidence, left to
/// right. A row whose image holds no digits (blank, no ink, a path that cannot be read or decoded, an empty path, a
/// missing image) gives "" and an empty vector; <see cref="NumberReader"/> says why for a single image.
/// <para>Saving (<see cref="ReadNumberTransformer.CanSave"/>): over a line reader model (<see cref="LineReader"/>) the
/// fitted step is a chain of ML.NET's own transformers around the reader model and two custom mappings
/// (<see cref="Transforms.ReadNumberMapping"/>), so <c>ml.Model.Save</c> saves it and <c>ml.Model.Load</c> or
/// <c>LoadDigitsModel</c> loads it back (as a <c>TransformerChain</c>, without <c>RegisterAssembly</c>), reading the
/// same. ML.NET saves a custom mapping by its name alone, so only the default <see cref="ReadingOptions"/> save, with any
/// <see cref="ReadingOptions.Ink"/> (one saved mapping each); with another UncertainBelow, UncertainMark, MaxDigits or
/// MaxPixels, or a reader model that cannot be saved itself (one loaded by <c>LoadDigitsModel</c>), saving throws an
/// <see cref="InvalidOperationException"/> saying why. Over a digit classifier (the cutting reader) the step holds the
/// loaded model and cannot be saved: save the digit model, and build this step again after loading it.</para></summary>
public sealed class ReadNumberEstimator : IEstimator<ReadNumberTransformer>
{
    private readonly ITransformer model;
    private readonly string numberColumnName, confidencesColumnName, inputColumnName;
    private readonly ReadingOptions options;

    internal ReadNumberEstimator(ITransformer model, string numberColumnName, string confidencesColumnName, string inputColumnName,
        ReadingOptions? options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(numberColumnName);
        ArgumentException.ThrowIfNullOrWhiteSpace(confidencesColumnName);
        ArgumentException.ThrowIfNullOrWhiteSpace(inputColumnName);
        if (numberColumnName == confidencesColumnName)
            throw new ArgumentException($"The number and its confidences need two columns; both are named '{numberColumnName}'.", nameof(confidencesColumnName));
        this.options = options ?? new ReadingOptions();
        this.options.Validate();
        this.model = model;
        this.numberColumnName = numberColumnName;
        this.confidencesColumnName = confidencesColumnName;
        this.inputColumnName = inputColumnName;
    }

    /// <summary>Checks the input column, makes the <see cref="NumberReader"/> (which checks the model) and returns the
    /// fitted transformer (nothing is learned; rows are read lazily, when a cursor reaches them).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The input column is missing or neither an image nor text, or (for a
    /// line reader) the input has a column named as one of the step's inner columns (the reader's "Line" and
    /// "Frames"); the message names it.</exception>
    /// <exception cref="ArgumentException">The model is neither a digit classifier nor a line reader (see
    /// <see cref="NumberReader"/>).</exception>
    public ReadNumberTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Schema.GetColumnOrNull(inputColumnName) is not { } column)
            throw new ArgumentOutOfRangeException(nameof(input), $"Schema mismatch: the input column '{inputColumnName}' was not found.");
        var reader = new NumberReader(model, options);
        var ml = new MLContext();
        if (reader.ReadsWholeLines)
            return FitLineReader(input, column, ml);
        var output = OutputDefinition();
        ITransformer mapping = column.Type switch
        {
            ImageDataViewType => ml.Transforms.CustomMapping<ImageRow, NumberRow>(
                (row, number) => Write(row.Image is { } image ? reader.Read(image) : null, number), null,
                Renamed<ImageRow>(inputColumnName), output).Fit(input),
            TextDataViewType => ml.Transforms.CustomMapping<PathRow, NumberRow>(
                (row, number) => Write(string.IsNullOrEmpty(row.Path) ? null : reader.ReadFile(row.Path), number), null,
                Renamed<PathRow>(inputColumnName), output).Fit(input),
            _ => throw new ArgumentOutOfRangeException(nameof(input),
                $"Schema mismatch for input column '{inputColumnName}': expected Image or String (a path), got {column.Type}."),
        };
        return new ReadNumberTransformer(mapping, ReadNumberTransformer.ClassifierRefusal);
    }

    /// <summary>A line reader: a chain of ML.NET's transformers around the reader model (copy the input in, the strip,
    /// the model, the decoding, copy the outputs out, drop the rest), saveable with the default options (any ink).</summary>
    private ReadNumberTransformer FitLineReader(IDataView input, DataViewSchema.Column column, MLContext ml)
    {
        bool image = column.Type is ImageDataViewType;
        if (!image && column.Type is not TextDataViewType)
            throw new ArgumentOutOfRangeException(nameof(input),
                $"Schema mismatch for input column '{inputColumnName}': expected Image or String (a path), got {column.Type}.");
        if (input.Schema.FirstOrDefault(c => ReadNumberMapping.InternalColumns.Contains(c.Name)) is { Name: { } taken })
            throw new ArgumentOutOfRangeException(nameof(input),
                $"The input has a column '{taken}', a name ReadNumber uses inside its step for a line reader model (the reader's " +
                $"own '{LineReader.InputColumn}' and '{LineReader.OutputColumn}' columns among them): rename or drop that column first.");
        string? refusal = Unsaveable(options);
        // Fitted one by one: ML.NET's estimator chain compares image types by reference and would refuse the mapping's input.
        string inside = image ? ReadNumberMapping.ImageColumn : ReadNumberMapping.PathColumn;
        var copyIn = ml.Transforms.CopyColumns(inside, inputColumnName).Fit(input);
        IDataView data = copyIn.Transform(input);
        var settings = options;
        ITransformer strip;
        if (image)
        {
            var (map, contract) = ReadNumberMapping.ForImages(options.Ink);
            strip = refusal is null
                ? ml.Transforms.CustomMapping(map, contract).Fit(data)
                : ml.Transforms.CustomMapping<ReadNumberMapping.ImageInput, ReadNumberMapping.LineOutput>(
                    (row, line) => ReadNumberMapping.MapImage(row, line, settings), null).Fit(data);
        }
        else
        {
            var (map, contract) = ReadNumberMapping.ForPaths(options.Ink);
            strip = refusal is null
                ? ml.Transforms.CustomMapping(map, contract).Fit(data)
                : ml.Transforms.CustomMapping<ReadNumberMapping.PathInput, ReadNumberMapping.LineOutput>(
                    (row, line) => ReadNumberMapping.MapPath(row, line, settings), null).Fit(data);
        }
        data = strip.Transform(data);
        data = model.Transform(data);
        var decode = refusal is null
            ? ml.Transforms.CustomMapping<ReadNumberMapping.FramesInput, ReadNumberMapping.NumberOutput>(
                ReadNumberMapping.Decode.Map, ReadNumberMapping.Decode.Contract).Fit(data)
            : ml.Transforms.CustomMapping<ReadNumberMapping.FramesInput, ReadNumberMapping.NumberOutput>(
                (frames, number) => ReadNumberMapping.MapFrames(frames, number, settings), null).Fit(data);
        data = decode.Transform(data);
        var copyNumber = ml.Transforms.CopyColumns(numberColumnName, ReadNumberMapping.NumberColumn).Fit(data);
        data = copyNumber.Transform(data);
        var copyConfidences = ml.Transforms.CopyColumns(confidencesColumnName, ReadNumberMapping.ConfidencesColumn).Fit(data);
        data = copyConfidences.Transform(data);
        var drop = ml.Transforms.DropColumns([.. ReadNumberMapping.InternalColumns.Where(c => data.Schema.GetColumnOrNull(c) is not null)]).Fit(data);
        return new ReadNumberTransformer(new TransformerChain<ITransformer>(copyIn, strip, model, decode, copyNumber, copyConfidences, drop), refusal, model);
    }

    /// <summary>Null when a line reader's step can be saved with <paramref name="options"/>, else why not and what to do:
    /// a saved custom mapping keeps no settings but its contract, so only the ink (a contract each) may differ from the
    /// defaults among the settings a line reader uses (the speck share and split width are the cutting reader's).</summary>
    internal static string? Unsaveable(ReadingOptions options)
    {
        var defaults = new ReadingOptions();
        var changed = new List<string>();
        if (options.UncertainBelow != defaults.UncertainBelow)
            changed.Add($"UncertainBelow = {options.UncertainBelow} (default {defaults.UncertainBelow})");
        if (options.UncertainMark != defaults.UncertainMark)
            changed.Add($"UncertainMark = '{options.UncertainMark}' (default '{defaults.UncertainMark}')");
        if (options.MaxDigits != defaults.MaxDigits)
            changed.Add($"MaxDigits = {options.MaxDigits} (default {defaults.MaxDigits})");
        if (options.MaxPixels != defaults.MaxPixels)
            changed.Add($"MaxPixels = {options.MaxPixels} (default {defaults.MaxPixels})");
        return changed.Count == 0 ? null :
            $"This ReadNumber step cannot be saved: it was made with {string.Join(", ", changed)}, and ML.NET saves a custom " +
            "mapping by its name alone, without settings, so a saved step could only read with the defaults. Make the step " +
            "with the default ReadingOptions (only Ink may differ) to save it, or save the line reader model " +
            "(ml.Model.Save) and add ml.Transforms.ReadNumber(model, options: ...) again after loading it.";
    }

    /// <summary>The input schema plus the number (String) and its confidences (a vector of Single of unknown size).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The input column is missing or neither an image nor text; the
    /// message names it.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var input = SchemaShapes.Find(inputSchema, "input", inputColumnName);
        if (input.ItemType is not (ImageDataViewType or TextDataViewType) || input.Kind != SchemaShape.Column.VectorKind.Scalar)
            throw SchemaShapes.Mismatch("input", inputColumnName, "Image or String (a path)", input,
                "Load the files of a path column with ml.Transforms.LoadImages, or read the paths themselves.");
        var added = new MLContext().Transforms.CustomMapping<NoColumns, NumberRow>((_, _) => { }, null, outputSchemaDefinition: OutputDefinition())
            .GetOutputSchema(new SchemaShape([]));
        return SchemaShapes.With(inputSchema, [.. added]);
    }

    private void Write(NumberReading? reading, NumberRow row)
    {
        row.Number = reading?.MarkedText ?? "";
        row.Confidences = reading?.Confidences ?? [];
    }

    private SchemaDefinition OutputDefinition()
    {
        var definition = SchemaDefinition.Create(typeof(NumberRow));
        definition[nameof(NumberRow.Number)].ColumnName = numberColumnName;
        definition[nameof(NumberRow.Confidences)].ColumnName = confidencesColumnName;
        return definition;
    }

    private static SchemaDefinition Renamed<TRow>(string column)
    {
        var definition = SchemaDefinition.Create(typeof(TRow));
        definition[0].ColumnName = column;
        return definition;
    }

    private sealed class ImageRow
    {
        [NormalizeDigitMapping.AnyImageSize]
        public MLImage? Image { get; set; }
    }

    private sealed class PathRow
    {
        public string Path { get; set; } = "";
    }

    private sealed class NumberRow
    {
        public string Number { get; set; } = "";

        public float[] Confidences { get; set; } = [];
    }

    private sealed class NoColumns;
}
