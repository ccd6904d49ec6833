// LargeImageDecoder.cs — decodes large images on threads of their own at a low CPU priority (Linux nice 10), so a flood
// of them takes only the CPU that the cheap requests leave: on an idle machine they run at full speed.
using System.Runtime.InteropServices;
using System.Threading.Channels;

namespace DigitsML.WebApp;

/// <summary><see cref="AppLimits.LargeImageConcurrency"/> dedicated background threads that run the work of large images.
/// On Linux each lowers its own scheduling priority (nice 10: about a tenth of the CPU share of a normal thread when both
/// want a core), so the request threads that read bodies and score pixels or small images run first; elsewhere the
/// threads run at normal priority. The callers already hold a permit of <see cref="ScoringLimiters"/>, so the queue here
/// never holds more than the permits.</summary>
public sealed partial class LargeImageDecoder : IDisposable
{
    /// <summary>The nice value the threads take (0 is normal, 19 the lowest priority).</summary>
    public const int Niceness = 10;

    private readonly Channel<Action> work = Channel.CreateUnbounded<Action>(new UnboundedChannelOptions { SingleWriter = false });
    private readonly Thread[] threads;

    /// <summary>Starts <paramref name="threads"/> background threads.</summary>
    public LargeImageDecoder(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        this.threads = new Thread[threads];
        for (int i = 0; i < threads; i++)
        {
            this.threads[i] = new Thread(Run) { IsBackground = true, Name = $"large image {i + 1}" };
            this.threads[i].Start();
        }
    }

    /// <summary>Runs <paramref name="decode"/> on one of the threads and returns its result (or its exception).</summary>
    public Task<T> RunAsync<T>(Func<T> decode)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        bool queued = work.Writer.TryWrite(() =>
        {
            try
            {
                done.SetResult(decode());
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        });
        if (!queued)
            done.SetException(new ObjectDisposedException(nameof(LargeImageDecoder)));
        return done.Task;
    }

    private void Run()
    {
        if (OperatingSystem.IsLinux())
            _ = SetPriority(0 /* PRIO_PROCESS */, 0 /* this thread: Linux gives each thread its own nice value */, Niceness);
        var reader = work.Reader;
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            while (reader.TryRead(out var item))
                item();
    }

    [LibraryImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static partial int SetPriority(int which, int who, int priority);

    /// <summary>Stops taking work; the threads end once the queue is empty.</summary>
    public void Dispose() => work.Writer.TryComplete();
}
