// SchemaErrors.cs — the exceptions for missing and mistyped columns, worded as ML.NET words them.
namespace DigitsML.Data;

/// <summary>ML.NET reports schema problems as <see cref="ArgumentOutOfRangeException"/> for the input schema, with
/// "Could not find ..." and "Schema mismatch for ..." messages; DigitsML keeps both and adds a hint.</summary>
internal static class SchemaErrors
{
    /// <summary>The column <paramref name="name"/> in its <paramref name="role"/> ("label", "feature", "input") is missing.</summary>
    internal static ArgumentOutOfRangeException Missing(string role, string name, string? available = null) =>
        new("inputSchema", $"Could not find {role} column '{name}'." + (available is null ? "" : $" The data has {available}."));

    /// <summary>Column <paramref name="name"/> is of <paramref name="actual"/> type where <paramref name="expected"/> is needed.</summary>
    internal static ArgumentOutOfRangeException Mismatch(string role, string name, string expected, string actual, string? hint = null) =>
        new("inputSchema", $"Schema mismatch for {role} column '{name}': expected {expected}, got {actual}." + (hint is null ? "" : $" {hint}"));

    /// <summary>The visible column <paramref name="name"/> of <paramref name="schema"/>, or <see cref="Missing"/>.</summary>
    internal static DataViewSchema.Column Find(DataViewSchema schema, string role, string name) =>
        schema.GetColumnOrNull(name) ?? throw Missing(role, name, DescribeColumns(schema));

    /// <summary>The column <paramref name="name"/> of <paramref name="shape"/>, or <see cref="Missing"/>.</summary>
    internal static SchemaShape.Column Find(SchemaShape shape, string role, string name) =>
        shape.TryFindColumn(name, out var column) ? column : throw Missing(role, name,
            shape.Count == 0 ? "no columns" : string.Join(", ", shape.Select(c => $"'{c.Name}' ({c.GetTypeString()})")));

    /// <summary>"'Label' (Single), 'Features' (Vector&lt;Single, 784&gt;)".</summary>
    internal static string DescribeColumns(DataViewSchema schema) =>
        schema.Count == 0 ? "no columns" : string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => $"'{c.Name}' ({c.Type})"));
}
