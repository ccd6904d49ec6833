// PrivateTempFolder.cs — a temporary folder only this user can open, for the files ML.NET and ONNX Runtime write while a
// model loads, deleted with everything in it when the load is over.
namespace DigitsML.Models;

/// <summary>ML.NET writes a loaded model's ONNX graph (and, while loading, the zip's entries) under
/// <c>MLContext.TempFilePath</c>, by default the shared temporary folder, readable by every user and left there when a
/// load fails (issue 20, row 7); ONNX Runtime resolves a graph's external data relative to that folder (row 6). A load in
/// a folder of its own, made by <see cref="Directory.CreateTempSubdirectory"/> (mkdtemp: mode 0700, a fresh name that no
/// one else can have prepared), keeps both private, and <see cref="Dispose"/> removes it.</summary>
internal sealed class PrivateTempFolder : IDisposable
{
    // Folders kept alive by a loaded model (KeepWith): each goes when its model is collected, the rest at process exit
    // (.NET runs no finalizers then).
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<object, PrivateTempFolder> kept = [];
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, WeakReference<PrivateTempFolder>> live = new();
    private int disposed;

    static PrivateTempFolder() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        foreach (var folder in live.Values)
            if (folder.TryGetTarget(out var alive))
                alive.Dispose();
    };

    private PrivateTempFolder(string path) => Path = path;

    /// <summary>Deletes the folder if it was never disposed (its model was collected).</summary>
    ~PrivateTempFolder() => Dispose();

    /// <summary>The folder's full path.</summary>
    public string Path { get; }

    /// <summary>Makes a new private folder in the temporary folder.</summary>
    /// <exception cref="IOException">The folder cannot be made.</exception>
    public static PrivateTempFolder Create()
    {
        var folder = Directory.CreateTempSubdirectory("digitsml-load-");
        // mkdtemp makes it owner-only already; said again in case a platform's implementation does not.
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(folder.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return new PrivateTempFolder(folder.FullName);
    }

    /// <summary>Keeps the folder, and the graph ML.NET copied into it, for as long as <paramref name="owner"/> (the loaded
    /// model) lives: ML.NET reads that copy again when the model is saved (so a loaded model can be saved again, or put
    /// into a saved pipeline). The folder goes when the model is garbage-collected or the process exits; disposing the
    /// model deletes ML.NET's copy at once. The folder stays owner-only throughout.</summary>
    public void KeepWith(object owner)
    {
        live[Path] = new WeakReference<PrivateTempFolder>(this);
        kept.AddOrUpdate(owner, this);
    }

    /// <summary>Deletes the folder and what is in it. ONNX Runtime has read the graph into memory by now and ML.NET keeps
    /// only an open handle to its copy, so on Linux and macOS the file goes at once; where an open file cannot be deleted
    /// (Windows), ML.NET deletes its copy when the model is disposed, and the empty folder stays.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
            return;
        live.TryRemove(Path, out _);
        GC.SuppressFinalize(this);
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}
