// SchemaShapes.cs — finds and makes SchemaShape columns, whose constructor ML.NET keeps internal, through a DataViewSchema.
using System.Reflection;
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

    /// <summary>A column <paramref name="name"/> of <paramref name="type"/> with annotations of the given kinds and types.
    /// Made by a custom mapping's output schema definition, the one public estimator whose added columns take any type.</summary>
    internal static SchemaShape.Column Column(string name, DataViewType type, params (string Kind, DataViewType Type)[] annotations) =>
        (SchemaShape.Column)MakeColumnMethod.MakeGenericMethod(type.RawType).Invoke(null, [name, type, annotations])!;

    /// <summary><paramref name="schema"/> with <paramref name="added"/>, each replacing a column of its name.</summary>
    internal static SchemaShape With(SchemaShape schema, params SchemaShape.Column[] added)
    {
        var names = added.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        return new SchemaShape(schema.Where(c => !names.Contains(c.Name)).Concat(added));
    }

    private static readonly MethodInfo MakeColumnMethod =
        typeof(SchemaShapes).GetMethod(nameof(MakeColumn), BindingFlags.NonPublic | BindingFlags.Static)!;

    private static readonly MethodInfo AddAnnotationMethod =
        typeof(SchemaShapes).GetMethod(nameof(AddAnnotation), BindingFlags.NonPublic | BindingFlags.Static)!;

    private static SchemaShape.Column MakeColumn<T>(string name, DataViewType type, (string Kind, DataViewType Type)[] annotations)
    {
        var definition = SchemaDefinition.Create(typeof(OneColumn<T>));
        definition[0].ColumnName = name;
        definition[0].ColumnType = type;
        foreach (var (kind, annotationType) in annotations)
            AddAnnotationMethod.MakeGenericMethod(annotationType.RawType).Invoke(null, [definition[0], kind, annotationType]);
        var estimator = new MLContext().Transforms.CustomMapping<NoColumns, OneColumn<T>>((_, _) => { }, null, outputSchemaDefinition: definition);
        return estimator.GetOutputSchema(new SchemaShape([])).Single();
    }

    // Only the annotation's kind and type reach the shape; its value is never read.
    private static void AddAnnotation<T>(SchemaDefinition.Column column, string kind, DataViewType type) =>
        column.AddAnnotation(kind, default(T)!, type);

    private sealed class NoColumns;

    private sealed class OneColumn<T>
    {
        public T Value { get; set; } = default!;
    }
}
