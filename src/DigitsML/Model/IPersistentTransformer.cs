// IPersistentTransformer.cs — what a transformer does to be saved in a model file.
using System.Text.Json.Nodes;

namespace DigitsML.Model;

/// <summary>A transformer that writes its parameters (and any binary entries, such as network weights) into a model
/// file. Each kind is read back by <see cref="TransformerRegistry"/>; there is no reflection-based lookup.</summary>
internal interface IPersistentTransformer : ITransformer
{
    /// <summary>The kind written to pipeline.json, e.g. "ValueToKeyMapping".</summary>
    string Kind { get; }

    /// <summary>Writes the parameters into <paramref name="node"/> and binary entries into <paramref name="context"/>.</summary>
    void Save(JsonObject node, ModelSaveContext context);
}
