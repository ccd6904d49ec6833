// ImageFolderDataView.cs — one sub-folder per label of image files as a view: Label and ImagePath (LoadFromImageFolder).
namespace DigitsML.Data;

/// <summary>The image files (.png, .pgm, .bmp, any case) under each immediate sub-folder of a root, found once when the
/// view is made, in ordinal order of folder then path (files in nested folders count for their top folder). Label is
/// the folder's name: <c>Single</c> when every folder name is a whole number (e.g. "0" to "9"), otherwise text.
/// ImagePath is the file's full path. The images themselves are not read: <c>LoadImages</c> does that.</summary>
internal sealed class ImageFolderDataView : RandomAccessDataView
{
    internal const string LabelColumn = "Label";
    internal const string PathColumn = "ImagePath";

    private static readonly string[] extensions = [".png", ".pgm", ".bmp"];

    private readonly string[] labels;
    private readonly string[] paths;
    private readonly float[]? numbers;

    private ImageFolderDataView(string[] labels, string[] paths)
    {
        this.labels = labels;
        this.paths = paths;
        if (labels.All(l => l.Length is > 0 and <= 7 && l.All(char.IsAsciiDigit)))
            numbers = [.. labels.Select(l => (float)int.Parse(l, System.Globalization.CultureInfo.InvariantCulture))];
        var builder = new DataViewSchema.Builder();
        builder.AddColumn(LabelColumn, numbers is null ? TextDataViewType.Instance : NumberDataViewType.Single);
        builder.AddColumn(PathColumn, TextDataViewType.Instance);
        Schema = builder.ToSchema();
    }

    public override DataViewSchema Schema { get; }

    protected override int RowCount => paths.Length;

    /// <exception cref="DirectoryNotFoundException">The root does not exist.</exception>
    /// <exception cref="DataFormatException">The root has no sub-folder holding an image file.</exception>
    internal static ImageFolderDataView Load(string root)
    {
        if (!Directory.Exists(root))
            throw new DirectoryNotFoundException($"The image folder '{root}' does not exist.");
        var labels = new List<string>();
        var paths = new List<string>();
        foreach (var folder in Directory.GetDirectories(root).Order(StringComparer.Ordinal))
        {
            var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
                .Where(f => extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal);
            foreach (var file in files)
            {
                labels.Add(Path.GetFileName(folder));
                paths.Add(Path.GetFullPath(file));
            }
        }
        if (paths.Count == 0)
            throw new DataFormatException(root, "holds no image files (.png, .pgm, .bmp) in sub-folders; expected one sub-folder per label, e.g. 0/, 1/, ..., 9/");
        return new ImageFolderDataView([.. labels], [.. paths]);
    }

    protected override Delegate MakeGetter(int column, Func<int> row)
    {
        if (column == 1)
            return (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> value) => value = paths[row()].AsMemory());
        if (numbers is not null)
            return (ValueGetter<float>)((ref float value) => value = numbers[row()]);
        return (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> value) => value = labels[row()].AsMemory());
    }
}
