// JsonOutput.cs — `--json`: one machine-readable document on stdout instead of text, tables and progress.
using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace DigitsML.Cli;

internal static class JsonOutput
{
    private static readonly JsonSerializerOptions settings = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new NonFiniteAsNull(), new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>A new `--json` option, described for <paramref name="what"/> (what the document holds).</summary>
    public static Option<bool> CreateOption(string what) => new("--json")
    {
        Description = $"Print only one JSON document on stdout ({what}) instead of text, tables and progress; errors still go " +
                      "to stderr (default: off)",
    };

    /// <summary>Writes <paramref name="document"/> to stdout as indented JSON with camelCase names.</summary>
    public static void Write<T>(T document) => Console.WriteLine(JsonSerializer.Serialize(document, settings));

    /// <summary>JSON has no NaN or infinity (a log-loss reduction can be either): they are written as null.</summary>
    private sealed class NonFiniteAsNull : JsonConverter<double>
    {
        public override bool HandleNull => false;

        public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDouble();

        public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
        {
            if (double.IsFinite(value))
                writer.WriteNumberValue(value);
            else
                writer.WriteNullValue();
        }
    }
}
