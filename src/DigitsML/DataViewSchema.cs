// DataViewSchema.cs — the columns of a data view: names, positions, types and annotations, as in ML.NET.
using System.Collections;
using System.Collections.Immutable;
using DigitsML.Data;

namespace DigitsML;

/// <summary>The ordered columns of an <see cref="IDataView"/> or a row. A transform that writes a column under an
/// existing name appends the new column and hides the old one, as ML.NET does; looking a name up finds the
/// visible (last) column of that name.</summary>
public sealed partial class DataViewSchema : IReadOnlyList<DataViewSchema.Column>
{
    private readonly ImmutableArray<Column> columns;
    private readonly Dictionary<string, int> visible;

    private DataViewSchema(IEnumerable<(string Name, DataViewType Type, Annotations Annotations)> definitions)
    {
        var list = definitions.ToList();
        visible = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < list.Count; i++)
            visible[list[i].Name] = i;
        columns = [.. list.Select((c, i) => new Column(c.Name, i, visible[c.Name] != i, c.Type, c.Annotations))];
    }

    /// <summary>The number of columns, hidden ones included.</summary>
    public int Count => columns.Length;

    /// <summary>Column number <paramref name="columnIndex"/>.</summary>
    /// <exception cref="IndexOutOfRangeException">The index is outside the schema.</exception>
    public Column this[int columnIndex] => columns[columnIndex];

    /// <summary>The visible column named <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">No column has that name; the message names it.</exception>
    public Column this[string name] =>
        GetColumnOrNull(name) ?? throw new ArgumentOutOfRangeException(nameof(name), $"Column '{name}' not found.");

    /// <summary>The visible column named <paramref name="name"/>, or null.</summary>
    public Column? GetColumnOrNull(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return visible.TryGetValue(name, out int index) ? columns[index] : null;
    }

    /// <inheritdoc />
    public IEnumerator<Column> GetEnumerator() => ((IEnumerable<Column>)columns).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>An empty schema.</summary>
    internal static DataViewSchema Empty { get; } = new([]);

    /// <summary>This schema with <paramref name="added"/> appended; columns of the same names become hidden.</summary>
    internal DataViewSchema Append(IEnumerable<(string Name, DataViewType Type, Annotations Annotations)> added) =>
        new(columns.Select(c => (c.Name, c.Type, c.Annotations)).Concat(added));

    /// <summary>A schema of the given columns in order.</summary>
    internal static DataViewSchema Create(IEnumerable<(string Name, DataViewType Type, Annotations Annotations)> definitions) =>
        new(definitions);

    /// <inheritdoc />
    public override string ToString() => string.Join(", ", columns.Where(c => !c.IsHidden).Select(c => $"{c.Name}: {c.Type}"));

    /// <summary>One column of a schema.</summary>
    public readonly struct Column
    {
        internal Column(string name, int index, bool isHidden, DataViewType type, Annotations annotations)
        {
            Name = name;
            Index = index;
            IsHidden = isHidden;
            Type = type;
            this.annotations = annotations;
        }

        private readonly Annotations? annotations;

        /// <summary>The column's name.</summary>
        public string Name { get; }

        /// <summary>The column's position in its schema.</summary>
        public int Index { get; }

        /// <summary>Whether a later column of the same name hides this one.</summary>
        public bool IsHidden { get; }

        /// <summary>The column's type.</summary>
        public DataViewType Type { get; }

        /// <summary>Extra facts about the column, such as <see cref="AnnotationUtils.Kinds.SlotNames"/> and
        /// <see cref="AnnotationUtils.Kinds.KeyValues"/>; never null.</summary>
        public Annotations Annotations => annotations ?? Annotations.Empty;

        /// <inheritdoc />
        public override string ToString() => $"{Name} ({Index}){(IsHidden ? " (hidden)" : "")}: {Type}";
    }

    /// <summary>Builds a schema column by column.</summary>
    public sealed class Builder
    {
        private readonly List<(string, DataViewType, Annotations)> items = [];

        /// <summary>Adds a column.</summary>
        /// <exception cref="ArgumentNullException"><paramref name="name"/> or <paramref name="type"/> is null.</exception>
        public void AddColumn(string name, DataViewType type, Annotations? annotations = null)
        {
            ArgumentNullException.ThrowIfNull(name);
            ArgumentNullException.ThrowIfNull(type);
            items.Add((name, type, annotations ?? Annotations.Empty));
        }

        /// <summary>Adds copies of <paramref name="source"/> columns (name, type, annotations).</summary>
        public void AddColumns(IEnumerable<Column> source)
        {
            ArgumentNullException.ThrowIfNull(source);
            foreach (var c in source)
                AddColumn(c.Name, c.Type, c.Annotations);
        }

        /// <summary>The schema built so far.</summary>
        public DataViewSchema ToSchema() => new(items);
    }
}
