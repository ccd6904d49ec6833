// AtomicFile.cs — writes a file so that readers and crashes see the old file or the whole new one, never half.
namespace DigitsML.IO;

/// <summary>The one atomic write of both libraries (model zips through <see cref="DigitsModelCatalog.SaveAtomically"/>,
/// checkpoints, ONNX exports): a temporary file beside the target is written, flushed to disk and
/// renamed over the target; on failure the temporary file is removed and an existing target stays intact.</summary>
internal static class AtomicFile
{
    /// <exception cref="ArgumentException">The path is empty.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    internal static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string full = Path.GetFullPath(path);
        string temporary = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                write(file);
                file.Flush(flushToDisk: true);
            }
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
                File.Delete(temporary);
        }
    }
}
