// ImageLoadingTransformer.cs — decodes the image file each row's path names, lazily per row.
using System.Text.Json.Nodes;
using DigitsML.Data;
using DigitsML.Imaging;
using DigitsML.Model;

namespace DigitsML.Transforms;

/// <summary>Adds an <see cref="ImageDataViewType"/> column: the image at <see cref="OneToOneColumnTransformer.InputColumnName"/>'s path, resolved
/// against <see cref="ImageFolder"/> when the path is relative. Each read of a row decodes its file afresh (nothing is
/// cached, so memory stays bounded by one image per cursor); put <c>ml.Data.Cache</c> after a later, smaller column to
/// avoid decoding twice.</summary>
public sealed class ImageLoadingTransformer : OneToOneColumnTransformer
{
    internal ImageLoadingTransformer(string outputColumnName, string? imageFolder, string inputColumnName)
        : base(outputColumnName, inputColumnName)
    {
        ImageFolder = imageFolder;
    }

    /// <summary>The folder relative paths are resolved against; null resolves them against the current directory.
    /// Saved in model files as given.</summary>
    public string? ImageFolder { get; }

    private protected override string Kind => "ImageLoading";

    private protected override RowMapper MakeMapper(DataViewSchema schema) =>
        new Mapper(this, schema, CheckInput(schema, InputColumnName));

    /// <exception cref="ArgumentOutOfRangeException">The column is missing or not text.</exception>
    internal static DataViewSchema.Column CheckInput(DataViewSchema schema, string name)
    {
        var column = SchemaErrors.Find(schema, "input", name);
        if (column.Type is not TextDataViewType)
            throw SchemaErrors.Mismatch("input", name, "text (an image path)", column.Type.ToString()!);
        return column;
    }

    private protected override void SaveSettings(JsonObject node, ModelSaveContext context)
    {
        node["imageFolder"] = ImageFolder;
    }

    internal static ImageLoadingTransformer Load(JsonObject node, ModelLoadContext context)
    {
        string? folder = node["imageFolder"] is null ? null : context.Text(node, "imageFolder");
        return new ImageLoadingTransformer(context.Text(node, "outputColumnName"), folder, context.Text(node, "inputColumnName"));
    }

    private sealed class Mapper(ImageLoadingTransformer parent, DataViewSchema schema, DataViewSchema.Column input) : RowMapper(schema)
    {
        internal override IReadOnlyList<(string, DataViewType, DataViewSchema.Annotations)> Added { get; } =
            [(parent.OutputColumnName, ImageDataViewType.Instance, DataViewSchema.Annotations.Empty)];

        internal override IEnumerable<DataViewSchema.Column> Dependencies(int added) => [input];

        internal override Delegate MakeGetter(DataViewRow row, int added)
        {
            var get = row.GetGetter<ReadOnlyMemory<char>>(input);
            ReadOnlyMemory<char> path = default;
            return (ValueGetter<GrayImage>)((ref GrayImage value) =>
            {
                get(ref path);
                if (path.Span.IsWhiteSpace())
                    throw new FileNotFoundException($"Row {row.Position} has an empty image path in column '{input.Name}'.");
                string relative = path.ToString();
                value = GrayImage.Load(parent.ImageFolder is null ? relative : Path.Combine(parent.ImageFolder, relative));
            });
        }
    }
}
