// OutputPaths.cs — checks, before any work, that a file the command will write can be written: its folder exists and a
// file can be created there.
namespace DigitsML.Cli;

internal static class OutputPaths
{
    /// <summary>Creates and deletes a probe file beside <paramref name="path"/>.</summary>
    /// <param name="path">The full path the command will write (atomically, through a temporary file in the same folder).</param>
    /// <param name="flag">The flag that named it, for the message.</param>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist; the message names the flag and the folder.</exception>
    /// <exception cref="IOException">The path is a folder, or no file can be created in its folder; the message says why.</exception>
    public static void RequireWritable(string path, string flag)
    {
        if (Directory.Exists(path))
            throw new IOException($"{flag} {path} is a folder; give a file path");
        string folder = Path.GetDirectoryName(path) ?? ".";
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"{flag} {path}: the folder {folder} does not exist");
        string probe = Path.Combine(folder, $".digits-write-check-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            using var file = new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new IOException($"{flag} {path}: cannot create a file in {folder} ({e.Message})", e);
        }
    }
}
