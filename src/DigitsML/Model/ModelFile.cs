// ModelFile.cs — a whole pipeline as a model file: pipeline.json (input schema and transformers) plus each network's entries.
using System.Text.Json;
using System.Text.Json.Nodes;
using DigitsML.Engine;
using DigitsML.IO;

namespace DigitsML.Model;

/// <summary>Turns a transformer and its input schema into model-file entries and back. The container (version,
/// manifest of SHA-256 hashes, size bounds, atomic save) is <see cref="ModelArchive"/>'s.</summary>
internal static class ModelFile
{
    internal const string PipelineEntry = "pipeline.json";

    private static readonly JsonSerializerOptions json = new() { WriteIndented = true };
    private static readonly JsonDocumentOptions reading = new() { MaxDepth = 64 };

    /// <exception cref="NotSupportedException">A transformer cannot be saved.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The model does not accept <paramref name="inputSchema"/>.</exception>
    internal static Dictionary<string, byte[]> ToEntries(ITransformer model, DataViewSchema inputSchema)
    {
        model.GetOutputSchema(inputSchema);
        var context = new ModelSaveContext();
        var pipeline = new JsonObject
        {
            ["inputSchema"] = SchemaJson.WriteSchema(inputSchema),
            ["transformer"] = TransformerRegistry.Write(model, context),
        };
        context.Entries[PipelineEntry] = JsonSerializer.SerializeToUtf8Bytes(pipeline, json);
        return context.Entries;
    }

    /// <exception cref="DataFormatException">The entries are not a DigitsML pipeline; the message says what is wrong.</exception>
    internal static ITransformer FromEntries(IReadOnlyDictionary<string, byte[]> entries, string source, Device device, out DataViewSchema inputSchema)
    {
        var context = new ModelLoadContext(entries, source, device);
        if (!entries.TryGetValue(PipelineEntry, out var bytes))
            throw context.Error($"'{PipelineEntry}' is missing: this is a network file (NetworkFile), not a pipeline model");
        JsonObject pipeline;
        try
        {
            pipeline = JsonNode.Parse(bytes, documentOptions: reading) as JsonObject ?? throw context.Error($"'{PipelineEntry}' is not a JSON object");
        }
        catch (JsonException e)
        {
            throw context.Error($"'{PipelineEntry}' is not valid JSON ({e.Message})");
        }
        ITransformer model;
        try
        {
            inputSchema = SchemaJson.ReadSchema(context.Array(pipeline, "inputSchema"), context);
            model = TransformerRegistry.Read(context.Object(pipeline, "transformer"), context);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or JsonException)
        {
            // JsonNode decodes names and strings lazily, so invalid UTF-8 inside pipeline.json surfaces as
            // InvalidOperationException wherever it is first read (found by the fuzzer).
            throw context.Error($"'{PipelineEntry}' is not valid ({e.Message})");
        }
        try
        {
            model.GetOutputSchema(inputSchema);
        }
        catch (ArgumentOutOfRangeException e)
        {
            (model as IDisposable)?.Dispose();
            throw context.Error($"the stored pipeline does not accept its stored input schema ({e.Message})");
        }
        return model;
    }
}
