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
/// missing image) gives "" and an empty vector; <see cref="NumberReader"/> says why for a single image. The fitted
/// <see cref="ReadNumberTransformer"/> cannot be saved with <c>ml.Model.Save</c> (it holds the loaded digit model):
/// save the digit model, and build this step again after loading it.</summary>
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
    /// <exception cref="ArgumentOutOfRangeException">The input column is missing or neither an image nor text; the
    /// message names it.</exception>
    /// <exception cref="ArgumentException">The model is not a digit classifier (see <see cref="NumberReader"/>).</exception>
    public ReadNumberTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Schema.GetColumnOrNull(inputColumnName) is not { } column)
            throw new ArgumentOutOfRangeException(nameof(input), $"Schema mismatch: the input column '{inputColumnName}' was not found.");
        var reader = new NumberReader(model, options);
        var ml = new MLContext();
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
        return new ReadNumberTransformer(mapping);
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
