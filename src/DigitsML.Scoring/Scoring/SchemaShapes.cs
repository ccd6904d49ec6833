// SchemaShapes.cs — finds and makes SchemaShape columns, whose constructor ML.NET keeps internal, through a DataViewSchema.
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DigitsML.Scoring;

/// <summary>What our estimators' <c>GetOutputSchema</c> needs: a column looked up with an error that names it, and new
/// columns of a given type. ML.NET keeps <see cref="SchemaShape.Column"/>'s constructor, <c>SchemaShape.Create</c> and
/// <c>TryFindColumn</c> internal, so these are made here from public parts.</summary>
internal static class SchemaShapes
{
    internal const string KeyValues = "KeyValues", SlotNames = "SlotNames";

    /// <summary>The column <paramref name="name"/>, which plays <paramref name="role"/> ("label", "feature", "input").</summary>
    /// <exception cref="ArgumentOutOfRangeException">There is no such column; the message names it and the role.</exception>
    internal static SchemaShape.Column Find(SchemaShape schema, string role, string name) =>
        schema.LastOrDefault(c => c.Name == name) is { Name: not null } column ? column
            : throw new ArgumentOutOfRangeException(nameof(schema), $"Schema mismatch: the {role} column '{name}' was not found.");

    /// <summary>Whether <paramref name="column"/> has an annotation of <paramref name="kind"/>.</summary>
    internal static bool HasAnnotation(SchemaShape.Column column, string kind) => column.Annotations.Any(a => a.Name == kind);

    /// <summary>The schema error ML.NET's own estimators give: which column, what was expected, what it is.</summary>
    internal static ArgumentOutOfRangeException Mismatch(string role, string name, string expected, SchemaShape.Column actual, string? hint = null) =>
        new("schema", $"Schema mismatch for {role} column '{name}': expected {expected}, got {Describe(actual)}.{(hint is null ? "" : " " + hint)}");

    /// <summary>"Single", "Vector&lt;Single&gt;", "Key&lt;UInt32&gt;", as ML.NET writes a shape's type.</summary>
    internal static string Describe(SchemaShape.Column column)
    {
        string item = column.IsKey ? $"Key<{column.ItemType.RawType.Name}>" : column.ItemType.ToString()!;
        return column.Kind == SchemaShape.Column.VectorKind.Scalar ? item : $"Vector<{item}>";
    }

    /// <summary>A known-size vector of Single (<paramref name="type"/>), with a <c>SlotNames</c> annotation when asked.
    /// Made by a custom mapping's output schema definition, the one public estimator whose added columns take a type
    /// given at run time.</summary>
    internal static SchemaShape.Column SingleVector(string name, VectorDataViewType type, bool slotNames = false)
    {
        var definition = SchemaDefinition.Create(typeof(SingleVectorRow));
        definition[0].ColumnName = name;
        definition[0].ColumnType = type;
        if (slotNames)
            definition[0].AddAnnotation(SlotNames, new VBuffer<ReadOnlyMemory<char>>(type.Size, new ReadOnlyMemory<char>[type.Size]),
                new VectorDataViewType(TextDataViewType.Instance, type.Size));
        return Added<SingleVectorRow>(definition);
    }

    /// <summary>A scalar UInt32 key (what <c>MapValueToKey</c> writes) with a <c>KeyValues</c> annotation of
    /// <paramref name="keys"/>' type.</summary>
    internal static SchemaShape.Column Key(string name, LabelKeys keys)
    {
        const int count = 2;  // a shape holds no key count: any positive one gives the same shape
        var definition = SchemaDefinition.Create(typeof(KeyRow));
        definition[0].ColumnName = name;
        definition[0].ColumnType = new KeyDataViewType(typeof(uint), count);
        keys.AddKeyValuesAnnotation(definition[0], count);
        return Added<KeyRow>(definition);
    }

    /// <summary><paramref name="schema"/> with <paramref name="added"/>, each replacing a column of its name.</summary>
    internal static SchemaShape With(SchemaShape schema, params SchemaShape.Column[] added)
    {
        var names = added.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        return new SchemaShape(schema.Where(c => !names.Contains(c.Name)).Concat(added));
    }

    private static SchemaShape.Column Added<TRow>(SchemaDefinition definition) where TRow : class, new() =>
        new MLContext().Transforms.CustomMapping<NoColumns, TRow>((_, _) => { }, null, outputSchemaDefinition: definition)
            .GetOutputSchema(new SchemaShape([])).Single();

    private sealed class NoColumns;

    private sealed class SingleVectorRow
    {
        public float[] Value { get; set; } = [];
    }

    private sealed class KeyRow
    {
        public uint Value { get; set; }
    }
}
