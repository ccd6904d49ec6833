// ModelLoadContext.cs — what a transformer reads while a model is loaded, with checked JSON access.
using System.Text.Json;
using System.Text.Json.Nodes;
using DigitsML.Engine;

namespace DigitsML.Model;

/// <summary>The verified entries of a model file, where they came from, and the device networks go to. Its readers
/// turn any missing or mistyped JSON value into a <see cref="DataFormatException"/> that names it.</summary>
internal sealed class ModelLoadContext(IReadOnlyDictionary<string, byte[]> entries, string source, Device device)
{
    internal IReadOnlyDictionary<string, byte[]> Entries { get; } = entries;

    /// <summary>The file path, or a description of the stream, for messages.</summary>
    internal string Source { get; } = source;

    internal Device Device { get; } = device;

    internal DataFormatException Error(string message) => new(Source, message);

    internal T Value<T>(JsonObject node, string name)
    {
        try
        {
            if (node[name] is JsonValue value)
                return value.GetValue<T>();
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or JsonException)
        {
            throw Error($"'{name}' in {Describe(node)} is not a {typeof(T).Name} ({e.Message})");
        }
        throw Error($"'{name}' is missing from {Describe(node)}");
    }

    internal string Text(JsonObject node, string name) =>
        Value<string>(node, name) is { Length: > 0 } text ? text : throw Error($"'{name}' in {Describe(node)} is empty");

    internal JsonObject Object(JsonObject node, string name) =>
        node[name] as JsonObject ?? throw Error($"'{name}' in {Describe(node)} is missing or not an object");

    internal JsonArray Array(JsonObject node, string name) =>
        node[name] as JsonArray ?? throw Error($"'{name}' in {Describe(node)} is missing or not an array");

    private static string Describe(JsonObject node) =>
        node["kind"] is JsonValue kind && kind.TryGetValue(out string? k) ? $"the {k} transformer" : "pipeline.json";
}
