// AtomicFile.cs — writes a file so that readers and crashes see the old file or the whole new one, never half.
using System.ComponentModel;

namespace DigitsML.Scoring;

/// <summary>The one atomic write of both DigitsML libraries (model zips through <see cref="DigitsModelCatalog.SaveAtomically"/>,
/// checkpoints, ONNX exports): a temporary file beside the target is written, flushed to
/// disk and renamed over the target; on failure the temporary file is removed and an existing target stays intact.
/// Public for DigitsML's training assembly (checkpoints, ONNX files); not meant for applications.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>, atomically.</summary>
    /// <param name="path">The file to create or replace; its folder must exist.</param>
    /// <param name="write">Writes the whole content to the stream it is given.</param>
    /// <exception cref="ArgumentException">The path is empty.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void Write(string path, Action<Stream> write)
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
