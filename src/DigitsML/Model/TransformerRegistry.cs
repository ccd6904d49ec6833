// TransformerRegistry.cs — writes any DigitsML transformer (or chain of them) to JSON and reads it back by kind.
using System.Text.Json;
using System.Text.Json.Nodes;
using DigitsML.Trainers;
using DigitsML.Transforms;

namespace DigitsML.Model;

/// <summary>The one place that knows every transformer kind: an explicit switch, no reflection over types, so a model
/// file can only ever construct these.</summary>
internal static class TransformerRegistry
{
    private const string ChainKind = "TransformerChain";
    private const int MaxDepth = 16;

    /// <exception cref="NotSupportedException">The transformer is not one DigitsML can save.</exception>
    internal static JsonObject Write(ITransformer transformer, ModelSaveContext context)
    {
        if (IsChain(transformer, out var members))
            return new JsonObject { ["kind"] = ChainKind, ["transformers"] = new JsonArray([.. members.Select(m => (JsonNode)Write(m, context))]) };
        if (transformer is not IPersistentTransformer persistent)
            throw new NotSupportedException(
                $"{transformer.GetType().Name} cannot be saved: a model file holds only DigitsML's transformers and chains of them.");
        var node = new JsonObject { ["kind"] = persistent.Kind };
        persistent.Save(node, context);
        return node;
    }

    /// <exception cref="DataFormatException">The JSON names an unknown kind or is malformed; nothing is left allocated.</exception>
    internal static ITransformer Read(JsonObject node, ModelLoadContext context, int depth = 0)
    {
        if (depth > MaxDepth)
            throw context.Error($"transformer chains nest deeper than {MaxDepth}");
        string kind = context.Text(node, "kind");
        try
        {
            return kind switch
            {
                ChainKind => ReadChain(node, context, depth),
                "ValueToKeyMapping" => ValueToKeyMappingTransformer.Load(node, context),
                "KeyToValueMapping" => KeyToValueMappingTransformer.Load(node, context),
                "PixelScaling" => PixelScalingTransformer.Load(node, context),
                "ImageLoading" => ImageLoadingTransformer.Load(node, context),
                "DigitNormalizing" => DigitNormalizingTransformer.Load(node, context),
                "Cnn" => CnnTransformer.Load(node, context),
                VotingEnsembleTransformer.KindName => VotingEnsembleTransformer.Load(node, context, depth),
                _ => throw context.Error($"unknown transformer kind '{kind}'; the model was written by another library or a newer DigitsML"),
            };
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or JsonException or ArgumentException and not ArgumentNullException)
        {
            throw context.Error($"the {kind} transformer is not valid ({e.Message})");
        }
    }

    private static TransformerChain<ITransformer> ReadChain(JsonObject node, ModelLoadContext context, int depth)
    {
        var members = new List<ITransformer>();
        try
        {
            foreach (var item in context.Array(node, "transformers"))
                members.Add(Read(item as JsonObject ?? throw context.Error("a chain member is not an object"), context, depth + 1));
            return new TransformerChain<ITransformer>(members);
        }
        catch
        {
            foreach (var m in members)
                (m as IDisposable)?.Dispose();
            throw;
        }
    }

    private static bool IsChain(ITransformer transformer, out IEnumerable<ITransformer> members)
    {
        var type = transformer.GetType();
        bool chain = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(TransformerChain<>);
        members = chain ? (IEnumerable<ITransformer>)transformer : [];
        return chain;
    }
}
