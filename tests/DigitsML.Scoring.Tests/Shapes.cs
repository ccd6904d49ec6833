// Shapes.cs — the SchemaShape of a schema, as an estimator chain makes it before calling GetOutputSchema.
using System.Reflection;
using Microsoft.ML;

namespace DigitsML.Scoring.Tests;

internal static class Shapes
{
    // ML.NET keeps SchemaShape.Create internal; its chains call it on the input before every GetOutputSchema.
    private static readonly MethodInfo Create = typeof(SchemaShape).GetMethod("Create",
        BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic, [typeof(DataViewSchema)])
        ?? throw new MissingMethodException(nameof(SchemaShape), "Create(DataViewSchema)");

    public static SchemaShape Of(DataViewSchema schema) => (SchemaShape)Create.Invoke(null, [schema])!;
}
