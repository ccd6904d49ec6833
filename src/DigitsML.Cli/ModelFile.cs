// ModelFile.cs — model files as the commands write them: ML.NET zips from ml.Model.Save, written atomically.
namespace DigitsML.Cli;

internal static class ModelFile
{
    /// <summary>Saves <paramref name="model"/> with <see cref="DigitsModelCatalog.SaveAtomically"/> (a temporary file
    /// beside <paramref name="path"/>, flushed, renamed over it), so a run stopped while saving never leaves half a model
    /// where a whole one is expected.</summary>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void Save(MLContext ml, ITransformer model, DataViewSchema inputSchema, string path) =>
        ml.Model.SaveAtomically(model, inputSchema, path);
}
