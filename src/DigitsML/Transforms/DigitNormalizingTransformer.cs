// DigitNormalizingTransformer.cs — applies MNIST's digit preparation to each row's image, lazily per row.
using System.Text.Json.Nodes;
using DigitsML.Data;
using DigitsML.Imaging;
using DigitsML.Model;

namespace DigitsML.Transforms;

/// <summary>Adds <c>Vector&lt;Single, 1, 28, 28&gt;</c> features computed from an image column as described on
/// <see cref="DigitNormalizingEstimator"/>.</summary>
public sealed class DigitNormalizingTransformer : OneToOneColumnTransformer
{
    internal DigitNormalizingTransformer(string outputColumnName, string inputColumnName, DigitInk ink)
        : base(outputColumnName, inputColumnName)
    {
        Ink = ink;
    }

    /// <summary>How ink is told from paper.</summary>
    public DigitInk Ink { get; }

    private protected override string Kind => "DigitNormalizing";

    private protected override RowMapper MakeMapper(DataViewSchema schema) =>
        new Mapper(this, schema, CheckInput(schema, InputColumnName));

    /// <exception cref="ArgumentOutOfRangeException">The column is missing or not an image.</exception>
    internal static DataViewSchema.Column CheckInput(DataViewSchema schema, string name)
    {
        var column = SchemaErrors.Find(schema, "input", name);
        if (column.Type is not ImageDataViewType)
            throw SchemaErrors.Mismatch("input", name, "an image (from LoadImages)", column.Type.ToString()!,
                "Load the files of a path column with ml.Transforms.LoadImages first.");
        return column;
    }

    private protected override void SaveSettings(JsonObject node, ModelSaveContext context)
    {
        node["ink"] = Ink.ToString();
    }

    internal static DigitNormalizingTransformer Load(JsonObject node, ModelLoadContext context)
    {
        string ink = context.Text(node, "ink");
        if (!Enum.TryParse<DigitInk>(ink, ignoreCase: false, out var parsed) || !Enum.IsDefined(parsed) || char.IsAsciiDigit(ink[0]))
            throw context.Error($"ink '{ink}' is not one of {string.Join(", ", Enum.GetNames<DigitInk>())}");
        return new DigitNormalizingTransformer(context.Text(node, "outputColumnName"), context.Text(node, "inputColumnName"), parsed);
    }

    private sealed class Mapper(DigitNormalizingTransformer parent, DataViewSchema schema, DataViewSchema.Column input) : RowMapper(schema)
    {
        internal override IReadOnlyList<(string, DataViewType, DataViewSchema.Annotations)> Added { get; } =
            [(parent.OutputColumnName, DigitNormalizingEstimator.OutputType, DataViewSchema.Annotations.Empty)];

        internal override IEnumerable<DataViewSchema.Column> Dependencies(int added) => [input];

        internal override Delegate MakeGetter(DataViewRow row, int added)
        {
            var get = row.GetGetter<GrayImage>(input);
            GrayImage image = null!;
            return (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) =>
            {
                get(ref image);
                DigitNormalizer.Normalize(image, parent.Ink, VBuffer<float>.Prepare(ref value, DigitNormalizingEstimator.OutputType.Size));
            });
        }
    }
}
