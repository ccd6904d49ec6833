// CnnTrainer.Options.Json.cs — the recipe's one serialised form: System.Text.Json over the record itself, which is the
// checkpoint's identity and what `digits train --json` prints.
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using DigitsML.Networks;

namespace DigitsML.Trainers;

public sealed partial class CnnTrainer
{
    public sealed partial record Options
    {
        private static readonly JsonSerializerOptions json = new()
        {
            WriteIndented = true,
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            // A setting that is off (null) is left out, so adding an optional setting keeps older checkpoints resumable.
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            NumberHandling = JsonNumberHandling.Strict,
            MaxDepth = 64,
        };

        /// <summary>Every setting that shapes the trained network as indented JSON with camelCase names: the architecture
        /// (name, input shape, layers with a "kind"), optimizer and schedule with a "kind", the whole augmentation, and the
        /// rest by name; a setting that is null (off) is left out. Also left out, as they do not change what is trained: <see cref="Log"/>, <see cref="Progress"/>,
        /// <see cref="BatchProgress"/>, <see cref="CancellationToken"/>, <see cref="CheckpointPath"/>,
        /// <see cref="ResumeFromCheckpoint"/>, <see cref="GpuDeviceId"/> and <see cref="FallbackToCpu"/>. A new setting
        /// appears here (and so in the checkpoint's identity) without further code.</summary>
        public string ToJson() => JsonSerializer.Serialize(this, json);

        /// <summary>The recipe as a JSON tree, as <see cref="ToJson"/> writes it.</summary>
        internal JsonNode ToJsonNode() => JsonSerializer.SerializeToNode(this, json)!;

        /// <summary>Reads what <see cref="ToJson"/> wrote; a setting that is absent keeps its default. The result is not
        /// checked: <see cref="Validate"/> it (the trainer does).</summary>
        /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
        /// <exception cref="JsonException">The text is not a recipe; the message says where.</exception>
        public static Options FromJson(string text)
        {
            ArgumentNullException.ThrowIfNull(text);
            return JsonSerializer.Deserialize<Options>(text, json) ?? throw new JsonException("The recipe is null.");
        }

        /// <summary>The settings in which two recipes' JSON forms differ, each as "path: A → B" (e.g.
        /// "epochs: 3 → 5"); empty when they are the same.</summary>
        internal static IReadOnlyList<string> Differences(JsonNode? from, JsonNode? to)
        {
            var a = new SortedDictionary<string, string>(StringComparer.Ordinal);
            var b = new SortedDictionary<string, string>(StringComparer.Ordinal);
            Flatten(from, "", a);
            Flatten(to, "", b);
            return [.. a.Keys.Union(b.Keys).Order(StringComparer.Ordinal)
                .Where(k => a.GetValueOrDefault(k) != b.GetValueOrDefault(k))
                .Select(k => $"{k}: {a.GetValueOrDefault(k) ?? "absent"} → {b.GetValueOrDefault(k) ?? "absent"}")];
        }

        private static void Flatten(JsonNode? node, string path, IDictionary<string, string> into)
        {
            switch (node)
            {
                case JsonObject o:
                    foreach (var (name, child) in o)
                        Flatten(child, path.Length == 0 ? name : $"{path}.{name}", into);
                    break;
                case JsonArray array:
                    for (int i = 0; i < array.Count; i++)
                        Flatten(array[i], $"{path}[{i}]", into);
                    if (array.Count == 0)
                        into[path] = "[]";
                    break;
                default:
                    into[path] = node?.ToJsonString() ?? "null";
                    break;
            }
        }
    }
}
