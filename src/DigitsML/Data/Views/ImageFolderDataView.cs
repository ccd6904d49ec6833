// ImageFolderDataView.cs — one sub-folder per label of image files as a view: Label and ImagePath (LoadFromImageFolder).
namespace DigitsML.Data;

/// <summary>The image files (.png, .pgm, .bmp, any case) under each immediate sub-folder of a root, found once when the
/// view is made, in ordinal order of folder then path (files in nested folders count for their top folder). Label is
/// the folder's name: <c>Single</c> when every folder name is a whole number (e.g. "0" to "9"), otherwise text.
/// ImagePath is the file's full path. The images themselves are not read: <c>LoadImages</c> does that. The listing is
/// <see cref="ImageFolder"/>'s, in DigitsML.Scoring.</summary>
internal sealed class ImageFolderDataView : RandomAccessDataView
{
    internal const string LabelColumn = "Label";
    internal const string PathColumn = "ImagePath";

    private readonly string[] labels;
    private readonly string[] paths;
    private readonly float[]? numbers;

    private ImageFolderDataView(ImageFolder.Listing listing)
    {
        (labels, paths, numbers) = (listing.Labels, listing.Paths, listing.Numbers);
        var builder = new DataViewSchema.Builder();
        builder.AddColumn(LabelColumn, numbers is null ? TextDataViewType.Instance : NumberDataViewType.Single);
        builder.AddColumn(PathColumn, TextDataViewType.Instance);
        Schema = builder.ToSchema();
    }

    public override DataViewSchema Schema { get; }

    protected override int RowCount => paths.Length;

    /// <summary>Lists the folder through <see cref="ImageFolder.List"/>, shared with the real ML.NET's loader, with the
    /// extensions the look-alike decodes.</summary>
    /// <exception cref="DirectoryNotFoundException">The root does not exist.</exception>
    /// <exception cref="DataFormatException">The root has no sub-folder holding an image file.</exception>
    internal static ImageFolderDataView Load(string root) => new(ImageFolder.List(root, ImageFolder.LookAlikeExtensions));

    protected override Delegate MakeGetter(int column, Func<int> row)
    {
        if (column == 1)
            return (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> value) => value = paths[row()].AsMemory());
        if (numbers is not null)
            return (ValueGetter<float>)((ref float value) => value = numbers[row()]);
        return (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> value) => value = labels[row()].AsMemory());
    }
}
