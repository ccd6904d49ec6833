// ModelFile.cs — model files as the commands read and write them: ML.NET zips from ml.Model.Save, written atomically.
namespace DigitsML.Cli;

internal static class ModelFile
{
    /// <summary>Saves <paramref name="model"/> with ML.NET to a temporary file beside <paramref name="path"/>, then renames
    /// it over the target, so a run stopped while saving never leaves half a model where a whole one is expected.</summary>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void Save(MLContext ml, ITransformer model, DataViewSchema inputSchema, string path)
    {
        string temporary = $"{path}.{Environment.ProcessId}.tmp";
        try
        {
            ml.Model.Save(model, inputSchema, temporary);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
