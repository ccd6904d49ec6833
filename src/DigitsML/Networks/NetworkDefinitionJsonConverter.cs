// NetworkDefinitionJsonConverter.cs — a network definition as JSON (name, input shape, layers with a "kind"), so that a
// recipe that holds one serialises as a plain record.
using System.Text.Json;
using System.Text.Json.Serialization;
using DigitsML.Engine;

namespace DigitsML.Networks;

/// <summary>Writes <c>{"name": ..., "inputShape": [C, H, W] or [N], "layers": [...]}</c> and reads it back.</summary>
internal sealed class NetworkDefinitionJsonConverter : JsonConverter<NetworkDefinition>
{
    private sealed record Form(string Name, int[] InputShape, Layer[] Layers);

    public override NetworkDefinition Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var form = JsonSerializer.Deserialize<Form>(ref reader, options)
                   ?? throw new JsonException("A network definition is null.");
        if (form.Layers is null || form.InputShape is null)
            throw new JsonException($"The network definition '{form.Name}' lacks its input shape or layers.");
        TensorShape shape = form.InputShape switch
        {
            [int n] when n > 0 => TensorShape.Vector(n),
            [int c, int h, int w] when c > 0 && h > 0 && w > 0 => TensorShape.Image(c, h, w),
            _ => throw new JsonException($"The input shape [{string.Join(", ", form.InputShape)}] of '{form.Name}' is not valid."),
        };
        try
        {
            return new NetworkDefinition(form.Name, form.Layers, shape);
        }
        catch (ArgumentException e)
        {
            throw new JsonException($"The network definition '{form.Name}' is not valid: {e.Message}", e);
        }
    }

    public override void Write(Utf8JsonWriter writer, NetworkDefinition value, JsonSerializerOptions options)
    {
        var s = value.InputShape;
        int[] shape = s.Rank == 1 ? [s.Channels] : [s.Channels, s.Height, s.Width];
        JsonSerializer.Serialize(writer, new Form(value.Name, shape, [.. value.Layers]), options);
    }
}
