// SchemaJson.cs — column types and schemas as JSON in pipeline.json, and back.
using System.Text.Json.Nodes;
using DigitsML.Data;

namespace DigitsML.Model;

/// <summary>Writes a type as {"kind": "Number", "type": "Single"}, {"kind": "Key", "type": "UInt32", "count": 10},
/// {"kind": "Vector", "item": {...}, "dimensions": [1, 28, 28]}, {"kind": "Text"}, {"kind": "Boolean"} or {"kind": "Image"}, and a schema
/// as its columns with their key values and slot names.</summary>
internal static class SchemaJson
{
    private const int MaxDimensions = 8;

    internal static JsonObject WriteType(DataViewType type) => type switch
    {
        NumberDataViewType n => new JsonObject { ["kind"] = "Number", ["type"] = n.RawType.Name },
        KeyDataViewType k => new JsonObject { ["kind"] = "Key", ["type"] = k.RawType.Name, ["count"] = k.Count },
        TextDataViewType => new JsonObject { ["kind"] = "Text" },
        BooleanDataViewType => new JsonObject { ["kind"] = "Boolean" },
        ImageDataViewType => new JsonObject { ["kind"] = "Image" },
        VectorDataViewType v => new JsonObject
        {
            ["kind"] = "Vector",
            ["item"] = WriteType(v.ItemType),
            ["dimensions"] = new JsonArray([.. v.Dimensions.Select(d => (JsonNode)d)]),
        },
        _ => throw new NotSupportedException($"Columns of type {type} cannot be saved in a model file."),
    };

    /// <exception cref="DataFormatException">The JSON is not a type this library writes.</exception>
    internal static DataViewType ReadType(JsonObject node, ModelLoadContext context)
    {
        string kind = context.Text(node, "kind");
        switch (kind)
        {
            case "Number":
                return NumberDataViewType.FromName(context.Text(node, "type"))
                       ?? throw context.Error($"unknown number type '{context.Text(node, "type")}'");
            case "Key":
                string raw = context.Text(node, "type");
                Type? rawType = raw switch { "Byte" => typeof(byte), "UInt16" => typeof(ushort), "UInt32" => typeof(uint), "UInt64" => typeof(ulong), _ => null };
                ulong count = context.Value<ulong>(node, "count");
                if (rawType is null || count == 0)
                    throw context.Error($"key type '{raw}' with {count} values is not valid");
                try
                {
                    return new KeyDataViewType(rawType, count);
                }
                catch (ArgumentException e)
                {
                    throw context.Error($"key type is not valid ({e.Message})");
                }
            case "Text":
                return TextDataViewType.Instance;
            case "Boolean":
                return BooleanDataViewType.Instance;
            case "Image":
                return ImageDataViewType.Instance;
            case "Vector":
                if (ReadType(context.Object(node, "item"), context) is not PrimitiveDataViewType item)
                    throw context.Error("a vector's item type must be primitive");
                var dims = context.Array(node, "dimensions");
                if (dims.Count > MaxDimensions)
                    throw context.Error($"a vector has at most {MaxDimensions} dimensions");
                try
                {
                    return new VectorDataViewType(item, [.. dims.Select(d => d!.GetValue<int>())]);
                }
                catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException or NullReferenceException)
                {
                    throw context.Error($"vector dimensions are not valid ({e.Message})");
                }
            default:
                throw context.Error($"unknown column type kind '{kind}'");
        }
    }

    internal static JsonArray WriteSchema(DataViewSchema schema)
    {
        var columns = new JsonArray();
        foreach (var c in schema.Where(c => !c.IsHidden))
        {
            var node = new JsonObject { ["name"] = c.Name, ["type"] = WriteType(c.Type) };
            if (KeyValueSet.FromColumn(c) is { } keys)
                node["keyValues"] = new JsonObject { ["type"] = WriteType(keys.ItemType), ["values"] = keys.ToJson() };
            if (c.HasSlotNames())
            {
                VBuffer<ReadOnlyMemory<char>> names = default;
                c.GetSlotNames(ref names);
                node["slotNames"] = new JsonArray([.. names.DenseValues().Select(n => (JsonNode)n.ToString())]);
            }
            columns.Add(node);
        }
        return columns;
    }

    /// <exception cref="DataFormatException">The JSON is not a schema this library writes.</exception>
    internal static DataViewSchema ReadSchema(JsonArray columns, ModelLoadContext context)
    {
        var builder = new DataViewSchema.Builder();
        foreach (var item in columns)
        {
            if (item is not JsonObject node)
                throw context.Error("a schema column is not an object");
            var type = ReadType(context.Object(node, "type"), context);
            var annotations = DataViewSchema.Annotations.Empty;
            if (node["keyValues"] is JsonObject keyNode)
            {
                if (type is not KeyDataViewType key || ReadType(context.Object(keyNode, "type"), context) is not PrimitiveDataViewType itemType)
                    throw context.Error($"column '{node["name"]}' has key values but is not a key");
                var keys = KeyValueSet.FromJson(itemType, context.Array(keyNode, "values"), context.Source);
                if ((ulong)keys.Count != key.Count)
                    throw context.Error($"column '{node["name"]}' has {keys.Count} key values for {key.Count} keys");
                annotations = keys.ToAnnotations();
            }
            else if (node["slotNames"] is JsonArray names && type is VectorDataViewType { Size: > 0 } vector && names.Count == vector.Size)
            {
                var text = names.Select(n => (n?.GetValue<string>() ?? "").AsMemory()).ToArray();
                var b = new DataViewSchema.Annotations.Builder();
                b.AddSlotNames(text.Length, (ref VBuffer<ReadOnlyMemory<char>> value) => VBuffer<ReadOnlyMemory<char>>.Assign(ref value, text));
                annotations = b.ToAnnotations();
            }
            builder.AddColumn(context.Text(node, "name"), type, annotations);
        }
        return builder.ToSchema();
    }
}
