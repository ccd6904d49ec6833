// SchemaShape.cs — what an estimator can know of a schema before seeing data: names, kinds and item types.
using System.Collections;
using DigitsML.Data;

namespace DigitsML;

/// <summary>ML.NET's schema shape: each column's name, whether it is a scalar, a known-size vector or a vector of
/// unknown size, its item type, whether it is a key, and which annotations it has. Estimators propagate shapes
/// rather than schemas because some facts (how many values a key will index, hence a score vector's size) are only
/// known after fitting.</summary>
public sealed class SchemaShape : IReadOnlyList<SchemaShape.Column>
{
    private readonly Column[] columns;

    /// <summary>A shape of <paramref name="columns"/>; a later column of the same name replaces an earlier one.</summary>
    public SchemaShape(IEnumerable<Column> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var list = new List<Column>();
        foreach (var c in columns)
        {
            list.RemoveAll(e => e.Name == c.Name);
            list.Add(c);
        }
        this.columns = [.. list];
    }

    /// <summary>The number of columns.</summary>
    public int Count => columns.Length;

    /// <summary>Column number <paramref name="index"/>.</summary>
    public Column this[int index] => columns[index];

    /// <summary>Finds the column named <paramref name="name"/>.</summary>
    public bool TryFindColumn(string name, out Column column)
    {
        ArgumentNullException.ThrowIfNull(name);
        int i = Array.FindIndex(columns, c => c.Name == name);
        column = i >= 0 ? columns[i] : default;
        return i >= 0;
    }

    /// <summary>The shape of <paramref name="schema"/> (visible columns only).</summary>
    public static SchemaShape Create(DataViewSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return new SchemaShape(schema.Where(c => !c.IsHidden).Select(c => Column.Of(c.Name, c.Type,
            new SchemaShape(c.Annotations.Schema.Select(a => Column.Of(a.Name, a.Type, null))))));
    }

    /// <inheritdoc />
    public IEnumerator<Column> GetEnumerator() => ((IEnumerable<Column>)columns).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    public override string ToString() => string.Join(", ", columns.Select(c => $"{c.Name}: {c.GetTypeString()}"));

    /// <summary>The shape of one column.</summary>
    public readonly struct Column
    {
        /// <summary>Whether a column is a scalar or a vector.</summary>
        public enum VectorKind
        {
            /// <summary>A single value.</summary>
            Scalar,

            /// <summary>A vector of known size.</summary>
            Vector,

            /// <summary>A vector whose size varies or is unknown.</summary>
            VariableVector,
        }

        internal Column(string name, VectorKind kind, DataViewType itemType, bool isKey, SchemaShape? annotations = null)
        {
            Name = name;
            Kind = kind;
            ItemType = itemType;
            IsKey = isKey;
            Annotations = annotations ?? new SchemaShape([]);
        }

        internal static Column Of(string name, DataViewType type, SchemaShape? annotations)
        {
            var (kind, item) = type is VectorDataViewType v
                ? (v.IsKnownSize ? VectorKind.Vector : VectorKind.VariableVector, (DataViewType)v.ItemType)
                : (VectorKind.Scalar, type);
            bool isKey = item is KeyDataViewType;
            // As in ML.NET, a key's item type is its raw integer type; IsKey says it is a key.
            if (isKey)
                item = NumberDataViewType.FromRawType(item.RawType)!;
            return new Column(name, kind, item, isKey, annotations);
        }

        /// <summary>The column's name.</summary>
        public string Name { get; }

        /// <summary>Scalar, known-size vector or vector of unknown size.</summary>
        public VectorKind Kind { get; }

        /// <summary>The type of a scalar, or of a vector's items; for keys, the raw integer type.</summary>
        public DataViewType ItemType { get; }

        /// <summary>Whether the values are keys.</summary>
        public bool IsKey { get; }

        /// <summary>The annotations the column has (kinds and types).</summary>
        public SchemaShape Annotations { get; }

        /// <summary>Whether a column of shape <paramref name="source"/> can be used where this shape is expected: same kind
        /// (a known-size vector also fits where a vector of unknown size is expected), item type and key-ness.</summary>
        public bool IsCompatibleWith(Column source) =>
            (Kind == source.Kind || (Kind == VectorKind.VariableVector && source.Kind == VectorKind.Vector))
            && ItemType.Equals(source.ItemType) && IsKey == source.IsKey;

        /// <summary>The shape as text, e.g. "Vector&lt;Single&gt;" or "Key&lt;UInt32&gt;".</summary>
        public string GetTypeString()
        {
            string text = IsKey ? $"Key<{ItemType}>" : ItemType.ToString() ?? "";
            return Kind switch
            {
                VectorKind.Vector => $"Vector<{text}>",
                VectorKind.VariableVector => $"VarVector<{text}>",
                _ => text,
            };
        }

        /// <inheritdoc />
        public override string ToString() => $"{Name}: {GetTypeString()}";
    }
}
