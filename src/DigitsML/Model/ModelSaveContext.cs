// ModelSaveContext.cs — where transformers write their binary entries while a model is saved.
namespace DigitsML.Model;

/// <summary>The entries of the model file being written, and a supply of unique entry prefixes.</summary>
internal sealed class ModelSaveContext
{
    private int next;

    internal Dictionary<string, byte[]> Entries { get; } = new(StringComparer.Ordinal);

    /// <summary>A fresh folder for one transformer's entries: "transformers/0/", "transformers/1/", ...</summary>
    internal string NewPrefix() => $"transformers/{next++}/";
}
