// ModelIdentity.cs — the model file's size for /health (its name, SHA-256 and version come from DigitRecognizer.Model).
namespace DigitsML.WebApp;

/// <summary>What /health reads from the model file itself, never where it lies on the disk.</summary>
public static class ModelIdentity
{
    /// <summary>The file's size in bytes now, or -1 when it cannot be read (being replaced).</summary>
    public static long BytesOf(string path)
    {
        try
        {
            return new FileInfo(path).Length;
        }
        catch (IOException)
        {
            return -1;
        }
    }
}
