// DigitRecognizer.cs — the DigitClassifier an app's services share, reloaded when its model file changes.
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace DigitsML;

/// <summary>Recognises digits with the model of <see cref="DigitsRecognitionOptions"/>, from any number of threads, and
/// swaps in a new model when the file changes: each prediction runs start to end on the model it began with, and an old
/// model is disposed when its last prediction ends. A changed file that does not load leaves the old model answering and
/// is reported by <see cref="LastReloadError"/> (and the health check). Registered as a singleton by
/// <c>services.AddDigitsRecognition(...)</c>; it loads the model when first resolved, so resolve it at start-up to fail
/// early.</summary>
public sealed class DigitRecognizer : IDisposable
{
    private readonly string? path;
    private readonly int maxPixels;
    private readonly IReadOnlyList<string>? requiredClasses;
    private readonly ILogger logger;
    private readonly DigitsRecognitionMetrics metrics;
    private readonly FileSystemWatcher? watcher;
    private readonly Timer? reloadTimer;
    private readonly TimeSpan reloadDelay;
    private readonly Lock reloadLock = new();
    private LoadedModel current;
    private volatile string? lastReloadError;
    private bool disposed;

    /// <summary>Loads the model the options name.</summary>
    /// <exception cref="ArgumentException">Neither <see cref="DigitsRecognitionOptions.ModelPath"/> nor
    /// <see cref="DigitsRecognitionOptions.ModelStream"/> is set.</exception>
    /// <exception cref="FileNotFoundException">The model file does not exist.</exception>
    /// <exception cref="DataFormatException">The model does not load, is not a digit classifier, or lacks
    /// <see cref="DigitsRecognitionOptions.RequiredClasses"/>; the message says why.</exception>
    public DigitRecognizer(IOptions<DigitsRecognitionOptions> options, ILogger<DigitRecognizer>? logger = null, IMeterFactory? meterFactory = null)
    {
        var settings = options.Value;
        this.logger = logger ?? (ILogger)NullLogger.Instance;
        maxPixels = settings.MaxPixels;
        requiredClasses = settings.RequiredClasses;
        reloadDelay = settings.ReloadDelay;
        if (!string.IsNullOrWhiteSpace(settings.ModelPath))
        {
            path = Path.GetFullPath(settings.ModelPath);
            current = WarmedUp(LoadFile(version: 1, Sha256Of(path)));
        }
        else if (settings.ModelStream is not null)
        {
            current = WarmedUp(LoadStream(settings.ModelStream));
        }
        else
        {
            throw new ArgumentException($"{nameof(DigitsRecognitionOptions)} names no model: set {nameof(DigitsRecognitionOptions.ModelPath)} (or {nameof(DigitsRecognitionOptions.ModelStream)}).", nameof(options));
        }
        metrics = new DigitsRecognitionMetrics(meterFactory, () => Model.Version);
        this.logger.LogInformation("Digit model {FileName} loaded (version 1, SHA-256 {Sha256})", current.Info.FileName ?? "(stream)", current.Info.Sha256);
        if (path is not null && settings.WatchForChanges)
        {
            reloadTimer = new Timer(_ => Reload(), null, Timeout.Infinite, Timeout.Infinite);
            watcher = new FileSystemWatcher(Path.GetDirectoryName(path)!)
            {
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
            };
            watcher.Changed += OnFileEvent;
            watcher.Created += OnFileEvent;
            watcher.Renamed += OnFileEvent;
            watcher.EnableRaisingEvents = true;
        }
    }

    /// <summary>The model answering now.</summary>
    public DigitsModelInfo Model => Volatile.Read(ref current).Info;

    /// <summary>Why the last change of the model file did not load (the file's name and the cause, no folder), or null
    /// when the newest file is the one answering.</summary>
    public string? LastReloadError => lastReloadError;

    /// <summary>Raised after a new model has replaced the old one.</summary>
    public event EventHandler<DigitsModelInfo>? Reloaded;

    /// <summary>The answer for 784 features (28 × 28 grey levels in [0, 1], ink bright), as
    /// <see cref="DigitClassifier.Predict"/>.</summary>
    /// <exception cref="ArgumentException">Not 784 features.</exception>
    public DigitScores Predict(ReadOnlySpan<float> features)
    {
        var model = Acquire();
        long start = Stopwatch.GetTimestamp();
        bool ok = false;
        try
        {
            var answer = model.Classifier.Predict(features);
            ok = true;
            return answer;
        }
        finally
        {
            Done(model, start, ok);
        }
    }

    /// <summary>The answer for an encoded image (PNG, JPEG, BMP, GIF, WebP), as <see cref="DigitClassifier.PredictImage"/>.</summary>
    /// <exception cref="DataFormatException">Not a whole image of those formats, or more pixels than
    /// <see cref="DigitsRecognitionOptions.MaxPixels"/>.</exception>
    public DigitScores PredictImage(ReadOnlySpan<byte> encoded, DigitInk ink = DigitInk.Auto)
    {
        var model = Acquire();
        long start = Stopwatch.GetTimestamp();
        bool ok = false;
        try
        {
            var answer = model.Classifier.PredictImage(encoded, ink);
            ok = true;
            return answer;
        }
        finally
        {
            Done(model, start, ok);
        }
    }

    /// <summary>Stops watching the file and disposes the model once no prediction uses it.</summary>
    public void Dispose()
    {
        lock (reloadLock)
        {
            if (disposed)
                return;
            disposed = true;
        }
        watcher?.Dispose();
        reloadTimer?.Dispose();
        Volatile.Read(ref current).Release();
        metrics.Dispose();
    }

    private LoadedModel Acquire()
    {
        while (true)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            var model = Volatile.Read(ref current);
            if (model.TryAddUser())
                return model;
            // Replaced and released between the read and the increment: the next read sees its successor.
        }
    }

    private void Done(LoadedModel model, long start, bool ok)
    {
        model.Release();
        metrics.Predicted(Stopwatch.GetElapsedTime(start).TotalSeconds, ok);
    }

    private void OnFileEvent(object sender, FileSystemEventArgs e)
    {
        string name = Path.GetFileName(path!);
        if (e.Name == name || (e is RenamedEventArgs renamed && renamed.OldName == name))
            reloadTimer!.Change(reloadDelay, Timeout.InfiniteTimeSpan);   // a copy raises several events: wait for quiet
    }

    /// <summary>Loads the file again if its content changed; on failure the old model keeps answering.</summary>
    internal void Reload()
    {
        lock (reloadLock)
        {
            if (disposed)
                return;
            var old = Volatile.Read(ref current);
            string name = Path.GetFileName(path!);
            try
            {
                string sha = Sha256Of(path!);
                if (sha == old.Info.Sha256)
                {
                    lastReloadError = null;
                    return;
                }
                var next = WarmedUp(LoadFile(old.Info.Version + 1, sha));
                Volatile.Write(ref current, next);
                old.Release();
                lastReloadError = null;
                metrics.Reloaded(loaded: true);
                logger.LogInformation("Digit model {FileName} reloaded (version {Version}, SHA-256 {Sha256})", name, next.Info.Version, sha);
                Reloaded?.Invoke(this, next.Info);
            }
            // Any failure: this runs on a timer thread, where an exception would end the process, and the old model
            // is still good. DataFormatException, IOException and UnauthorizedAccessException are the expected ones.
            catch (Exception e)
            {
                // The message without the folder: it may be shown by a health endpoint.
                string cause = e is DataFormatException { FilePath: { } file } ? e.Message.Replace(file, name, StringComparison.Ordinal) : $"{name}: {e.Message.Replace(path!, name, StringComparison.Ordinal)}";
                lastReloadError = cause;
                metrics.Reloaded(loaded: false);
                logger.LogWarning("Digit model {FileName} changed but did not load; version {Version} keeps answering: {Cause}", name, old.Info.Version, cause);
            }
        }
    }

    private LoadedModel LoadFile(int version, string sha256)
    {
        var classifier = Checked(DigitClassifier.Load(path!, maxPixels), path);
        return new LoadedModel(classifier, new DigitsModelInfo(version, sha256, Path.GetFileName(path), DateTimeOffset.UtcNow, classifier.Classes));
    }

    /// <summary>The classifier, when it has the required classes; otherwise it is disposed and refused.</summary>
    private DigitClassifier Checked(DigitClassifier classifier, string? file)
    {
        if (requiredClasses is null || classifier.Classes.SequenceEqual(requiredClasses))
            return classifier;
        string has = string.Join(", ", classifier.Classes);
        classifier.Dispose();
        throw new DataFormatException(file, $"the model's classes are {has}, not the required {string.Join(", ", requiredClasses)}");
    }

    /// <summary>Runs the model once on a blank image so that the first request does not pay for ONNX Runtime's start.</summary>
    private static LoadedModel WarmedUp(LoadedModel model)
    {
        try
        {
            model.Classifier.Predict(new float[DigitClassifier.FeatureCount]);
            return model;
        }
        catch
        {
            model.Release();
            throw;
        }
    }

    private LoadedModel LoadStream(Func<Stream> open)
    {
        using var stream = open() ?? throw new ArgumentException($"{nameof(DigitsRecognitionOptions.ModelStream)} returned null.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        string sha = Convert.ToHexStringLower(SHA256.HashData(copy.GetBuffer().AsSpan(0, (int)copy.Length)));
        copy.Position = 0;
        var classifier = Checked(DigitClassifier.Load(copy, maxPixels), null);
        return new LoadedModel(classifier, new DigitsModelInfo(1, sha, null, DateTimeOffset.UtcNow, classifier.Classes));
    }

    private static string Sha256Of(string file)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>A classifier and the predictions using it: the recognizer holds one reference until the model is
    /// replaced; the last release disposes it.</summary>
    private sealed class LoadedModel(DigitClassifier classifier, DigitsModelInfo info)
    {
        private int users = 1;

        public DigitClassifier Classifier { get; } = classifier;

        public DigitsModelInfo Info { get; } = info;

        public bool TryAddUser()
        {
            int seen = Volatile.Read(ref users);
            while (seen > 0)
            {
                int was = Interlocked.CompareExchange(ref users, seen + 1, seen);
                if (was == seen)
                    return true;
                seen = was;
            }
            return false;
        }

        public void Release()
        {
            if (Interlocked.Decrement(ref users) == 0)
                Classifier.Dispose();
        }
    }
}
